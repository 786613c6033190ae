"""Demo accounts (デモアカウント): who they are and where they sit in the demo city.

The operational chain demo-drafter → demo-kakaricho → demo-kacho → demo-bucho →
demo-fukushicho → demo-shicho is one line of command (企画部 企画政策課 企画係),
so a draft by demo-drafter is approved by the others in turn.
"""

from __future__ import annotations

from dataclasses import dataclass

# Documented in docs/demo-accounts.md. Demo data only: never use in production.
DEMO_PASSWORD = "cityhall-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    """A demo account: its user name, what it demonstrates, and its position (unit path and post)."""

    username: str
    role: str
    unit_path: tuple[str, ...]
    post_code: str
    is_admin: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("demo-drafter", "起案者", ("企画部", "企画政策課", "企画係"), "shuji"),
    DemoAccount("demo-kakaricho", "係長（決裁者）", ("企画部", "企画政策課", "企画係"), "kakaricho"),
    DemoAccount("demo-kacho", "課長（決裁者）", ("企画部", "企画政策課"), "kacho"),
    DemoAccount("demo-bucho", "部長（決裁者）", ("企画部",), "bucho"),
    DemoAccount("demo-fukushicho", "副市長（決裁者）", ("特別職",), "fukushicho"),
    DemoAccount("demo-shicho", "市長（決裁者）", ("特別職",), "shicho"),
    DemoAccount("demo-bunsho", "文書主管", ("総務部", "総務課", "文書法制係"), "shunin"),
    DemoAccount("demo-kaikei", "会計管理者（会計）", ("会計室",), "kaikei_kanrisha"),
    DemoAccount("demo-nozei", "徴税吏員（徴税）", ("市民部", "納税課", "滞納整理係"), "shunin"),
    DemoAccount("demo-it", "情報政策（システム管理者）", ("総務部", "情報政策課", "システム管理係"), "shunin", True),
    DemoAccount("demo-kansa", "監査", ("監査委員事務局", "監査課", "監査係"), "shuji"),
)
