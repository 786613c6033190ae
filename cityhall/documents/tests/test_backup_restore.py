"""Backup and restore (バックアップと復元): a city with decided documents, attachments and signed PDFs is
backed up, restored into a new database, and the copy is the same to the byte: every row of every table,
every stored file and the certificates; ``verify_audit`` and ``verify_pdf`` pass on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from cityhall.documents import services
from cityhall.documents.models import Document
from cityhall.documents.sheet import sign_decided_document
from cityhall.testing.backups import file_digests, table_digests
from cityhall.testing.crash import child_env, database_url
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.engine import approve_to_decision, submit
from cityhall.testing.process import run_manage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_database(tmp_path):
    """The URL of a database that does not exist yet (SQLite: a new file; PostgreSQL: created, then dropped)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url().rsplit("/", 1)[0] + f"/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _decided_city(city, draft) -> list[Document]:
    """Two decided documents with signed sheets, one with a PDF attachment."""
    docs: list[Document] = []
    for title in ("道路補修工事の施行について", "公用車の修繕について"):
        doc = draft(title=title)
        if not docs:
            services.attachment_add(
                actor=city.drafter, document=doc, **upload("見積書.pdf", pdf_bytes()), expected_version=doc.version
            )
        doc = approve_to_decision(submit(doc.pk))
        sign_decided_document(doc.pk)
        docs.append(Document.objects.get(pk=doc.pk))
    assert all(d.signed_pdf for d in docs)
    return docs


def test_a_backup_restores_into_a_new_database_the_same_to_the_byte(
    city, draft, city_signing, settings, tmp_path, new_database
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    docs = _decided_city(city, draft)
    backup = tmp_path / "backup"
    call_command("backup", output=str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert {f"media/{d.signed_pdf.name}" for d in docs} <= set(manifest["files"])
    assert any(k.startswith("certs/CITYHALL_SIGNING_KEY_FILE/") for k in manifest["files"])
    with pytest.raises(CommandError, match="空のディレクトリではありません"):
        call_command("backup", output=str(backup))

    media, certs = tmp_path / "restored-media", tmp_path / "restored-certs"
    env = child_env(
        DATABASE_URL=new_database,
        CITYHALL_VAR_DIR=str(tmp_path / "var"),
        CITYHALL_MEDIA_ROOT=str(media),
        CITYHALL_SIGNING_KEY_FILE=str(certs / "key.pem"),
        CITYHALL_SIGNING_CERT_FILE=str(certs / "cert.pem"),
    )
    env.pop("DJANGO_SETTINGS_MODULE")
    restored = run_manage("restore", str(backup), **env)
    assert restored.returncode == 0, restored.stderr
    again = run_manage("restore", str(backup), **env)
    assert again.returncode != 0 and "既にテーブルがあります" in again.stderr

    digests = run_manage("shell", "-c", "from cityhall.testing.backups import print_digests; print_digests()", **env)
    assert digests.returncode == 0, digests.stderr
    assert json.loads(digests.stdout.strip().splitlines()[-1]) == table_digests()
    assert file_digests(media) == file_digests(Path(django_settings.MEDIA_ROOT))
    assert (certs / "key.pem").read_bytes() == Path(city_signing.key).read_bytes()
    assert (certs / "cert.pem").read_bytes() == Path(city_signing.cert).read_bytes()

    audit = run_manage("verify_audit", **env)
    assert audit.returncode == 0, audit.stderr
    for doc in docs:
        pdf = run_manage("verify_pdf", "--require-trusted", str(media / doc.signed_pdf.name), **env)
        assert pdf.returncode == 0, pdf.stdout + pdf.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(city, settings, tmp_path, new_database):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    backup = tmp_path / "backup"
    call_command("backup", output=str(backup))
    dump = next(p for p in backup.iterdir() if p.name.startswith("database."))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one bit-rotten byte
    dump.write_bytes(bytes(data))
    env = child_env(DATABASE_URL=new_database, CITYHALL_VAR_DIR=str(tmp_path / "var"))
    env.pop("DJANGO_SETTINGS_MODULE")
    result = run_manage("restore", str(backup), **env)
    assert result.returncode != 0 and "目録と一致しません" in result.stderr
