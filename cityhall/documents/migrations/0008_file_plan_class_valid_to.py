"""A file plan class can be ended (文書分類の廃止): ``valid_to`` is the last day it may be chosen."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0007_decided_at_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='fileplanclass',
            name='valid_to',
            field=models.DateField(blank=True, help_text='この日まで使えます。空欄は使用中。', null=True, verbose_name='廃止日'),
        ),
    ]
