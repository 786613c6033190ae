"""The database copied by its own tools: SQLite's online backup API, ``pg_dump`` and ``pg_restore``."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from cityhall.core.errors import Conflict, ValidationFailed

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"


def vendor() -> str:
    """``sqlite`` or ``postgresql``; anything else is refused."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise ValidationFailed(f"データベース {connection.vendor} のバックアップには対応していません。")
    return connection.vendor


def _pg_env() -> dict[str, str]:
    """The connection of ``default`` as libpq's variables (the password never on a command line)."""
    conf = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if conf.get(name):
            env[key] = str(conf[name])
    env["PGDATABASE"] = str(conf["NAME"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ValidationFailed(f"{name} が見つかりません（PostgreSQL のクライアントを導入してください）。")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise ValidationFailed(f"{Path(args[0]).name} が失敗しました: {done.stderr.strip()[-2000:]}")


def dump(directory: Path) -> str:
    """Copy the database into ``directory``; the file's name."""
    if vendor() == "sqlite":
        target = directory / SQLITE_FILE
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)  # one consistent snapshot, taken while the city works on
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationFailed("バックアップしたデータベースの整合性検査に失敗しました。")
        finally:
            copy.close()
            source.close()
        return SQLITE_FILE
    target = directory / POSTGRES_FILE
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    return POSTGRES_FILE


def is_empty() -> bool:
    """Whether the database holds no table yet (a new SQLite file, a newly created PostgreSQL database)."""
    return not connection.introspection.table_names()


def load(path: Path, *, force: bool) -> None:
    """Put the copy at ``path`` into the database; refused over existing tables unless ``force``."""
    if not is_empty() and not force:
        raise Conflict(
            "復元先のデータベースには既にテーブルがあります。新しいデータベースを指定するか、"
            "上書きしてよい場合は --force を付けてください。"
        )
    if vendor() == "sqlite":
        if path.name != SQLITE_FILE:
            raise ValidationFailed("このバックアップは SQLite のものではありません。", field="dir")
        connection.close()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(str(connection.settings_dict["NAME"]))
        try:
            with target:
                source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
            source.close()
        return
    if path.name != POSTGRES_FILE:
        raise ValidationFailed("このバックアップは PostgreSQL のものではありません。", field="dir")
    connection.close()
    args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    args += ["--clean", "--if-exists"] if force else ["--single-transaction"]
    _run([*args, f"--dbname={connection.settings_dict['NAME']}", str(path)])
