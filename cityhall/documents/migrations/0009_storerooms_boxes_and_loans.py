"""Storerooms, boxes of paper records and their loans (書庫・文書保存箱・借覧)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0008_file_plan_class_valid_to'),
        ('org', '0003_executive_role'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StorageBox',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=40, verbose_name='箱番号')),
                ('shelf', models.CharField(blank=True, max_length=40, verbose_name='棚')),
                ('fiscal_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='年度')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='備考')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登録日時')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登録者')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='課')),
            ],
            options={
                'verbose_name': '文書保存箱',
                'verbose_name_plural': '文書保存箱',
                'ordering': ['storeroom__name', 'shelf', 'label'],
            },
        ),
        migrations.CreateModel(
            name='StoredRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('placed_at', models.DateTimeField(verbose_name='収納日時')),
                ('box', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='documents.storagebox', verbose_name='文書保存箱')),
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='storage', to='documents.document', verbose_name='文書')),
                ('placed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='収納者')),
            ],
            options={
                'verbose_name': '書庫への収納',
                'verbose_name_plural': '書庫への収納',
            },
        ),
        migrations.CreateModel(
            name='Storeroom',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='書庫名')),
                ('place', models.CharField(blank=True, help_text='例: 本庁舎 地下1階', max_length=200, verbose_name='所在')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登録日時')),
            ],
            options={
                'verbose_name': '書庫',
                'verbose_name_plural': '書庫',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('name',), name='doc_storeroom_name_unique', violation_error_message='同じ名前の書庫があります。')],
            },
        ),
        migrations.AddField(
            model_name='storagebox',
            name='storeroom',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='boxes', to='documents.storeroom', verbose_name='書庫'),
        ),
        migrations.CreateModel(
            name='RecordLoan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(max_length=200, verbose_name='借覧の目的')),
                ('lent_on', models.DateField(verbose_name='貸出日')),
                ('due_on', models.DateField(verbose_name='返却期限')),
                ('returned_on', models.DateField(blank=True, null=True, verbose_name='返却日')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登録日時')),
                ('borrower', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='借受者')),
                ('borrower_section', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='借受者の課')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='loans', to='documents.document', verbose_name='文書')),
                ('lent_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='貸出の処理者')),
                ('returned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='返却の処理者')),
            ],
            options={
                'verbose_name': '借覧',
                'verbose_name_plural': '借覧',
                'ordering': ['-lent_on', '-pk'],
                'indexes': [models.Index(fields=['returned_on', 'due_on'], name='doc_loan_open_due'), models.Index(fields=['borrower', 'returned_on'], name='doc_loan_borrower_open')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('returned_on__isnull', True)), fields=('document',), name='doc_loan_one_open', violation_error_message='この文書は貸出中です。返却されてから貸し出してください。'), models.CheckConstraint(condition=models.Q(('due_on__gte', models.F('lent_on'))), name='doc_loan_due_after_lent', violation_error_message='返却期限は貸出日以降の日付にしてください。'), models.CheckConstraint(condition=models.Q(models.Q(('returned_on__isnull', True), ('returned_to__isnull', True)), models.Q(('returned_on__gte', models.F('lent_on')), ('returned_to__isnull', False)), _connector='OR'), name='doc_loan_returned_after_lent', violation_error_message='返却日は貸出日以降の日付にしてください。')],
            },
        ),
        migrations.AddConstraint(
            model_name='storagebox',
            constraint=models.UniqueConstraint(fields=('storeroom', 'label'), name='doc_box_label_unique', violation_error_message='この書庫には同じ箱番号の箱があります。'),
        ),
    ]
