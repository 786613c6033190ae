"""The demo's institution master (照会先): banks by their real 全銀 codes, fictitious addresses."""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.inquiries.models import Channel, Institution, InstitutionKind, MatchOn
from cityhall.inquiries.services.institutions import InstitutionInput, institution_create

P, D = Channel.PAPER, Channel.DIGITAL
KB, KBA = MatchOn.KANA_BIRTH, MatchOn.KANA_BIRTH_ADDRESS
# bank code, name, region, channel, matches on
BANKS = (
    ("0001", "株式会社みずほ銀行", "東京都", D, KB),
    ("0005", "株式会社三菱ＵＦＪ銀行", "東京都", D, KB),
    ("0009", "株式会社三井住友銀行", "東京都", D, KB),
    ("0010", "株式会社りそな銀行", "東京都", D, KBA),
    ("0017", "株式会社埼玉りそな銀行", "埼玉県", P, KBA),
    ("0033", "ＰａｙＰａｙ銀行株式会社", "東京都", D, KB),
    ("0036", "楽天銀行株式会社", "東京都", D, KB),
    ("0137", "株式会社きらぼし銀行", "東京都", P, KBA),
    ("0138", "株式会社横浜銀行", "神奈川県", P, KBA),
    ("1310", "さわやか信用金庫", "東京都", P, KBA),
    ("1344", "城南信用金庫", "東京都", P, KBA),
    ("1351", "城北信用金庫", "東京都", P, KBA),
)
# kind, name, kana, region, channel, matches on
OTHERS = (
    (InstitutionKind.POST_BANK, "株式会社ゆうちょ銀行", "ユウチョギンコウ", "東京都", D, KB),
    (InstitutionKind.INSURER, "みどり生命保険株式会社", "ミドリセイメイホケン", "東京都", P, KBA),
    (InstitutionKind.SECURITIES, "みどり野証券株式会社", "ミドリノショウケン", "東京都", P, KB),
)


def seed_institutions(user: User) -> int:
    """Register the master unless the city has one; how many institutions were registered."""
    if Institution.objects.exists():
        return 0
    for n, (code, name, region, channel, match_on) in enumerate(BANKS, start=1):
        institution_create(
            actor=user,
            data=InstitutionInput(
                kind=InstitutionKind.BANK,
                bank_code=code,
                name=name,
                postal_code=f"100-{n:04d}",
                address=f"東京都千代田区丸の内{n}丁目{n}番{n}号（デモ）",
                addressee="預金照会事務センター",
                region=region,
                channel=channel,
                match_on=match_on,
            ),
        )
    for n, (kind, name, kana, region, channel, match_on) in enumerate(OTHERS, start=20):
        institution_create(
            actor=user,
            data=InstitutionInput(
                kind=kind,
                name=name,
                kana=kana,
                postal_code=f"100-{n:04d}",
                address=f"東京都千代田区大手町{n - 19}丁目{n}番{n}号（デモ）",
                addressee="照会受付担当",
                region=region,
                channel=channel,
                match_on=match_on,
            ),
        )
    return Institution.objects.count()
