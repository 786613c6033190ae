"""The demo city's organisation chart (みどり野市の組織図): 部 → 課 → 係, and its post ladder.

Unit codes are derived from the order here: 部 ``01``, 課 ``0101``, 係 ``010101``;
the executive unit (市長・副市長) is ``00``.
"""

from __future__ import annotations

from dataclasses import dataclass

MUNICIPALITY = {"code": "139999", "name": "みどり野市", "kana": "みどりのし", "symbol": "緑"}
EXECUTIVE = {"code": "00", "name": "特別職", "kana": "とくべつしょく", "symbol": ""}


@dataclass(frozen=True)
class PostSpec:
    """One rung of the post ladder (職)."""

    code: str
    name: str
    rank: int
    is_managerial: bool
    heads: str = ""


POSTS: tuple[PostSpec, ...] = (
    PostSpec("shicho", "市長", 90, True, "executive"),
    PostSpec("fukushicho", "副市長", 80, True),
    PostSpec("bucho", "部長", 60, True, "department"),
    PostSpec("kaikei_kanrisha", "会計管理者", 60, True, "department"),
    PostSpec("jicho", "次長", 55, True),
    PostSpec("kacho", "課長", 50, True, "section"),
    PostSpec("kacho_hosa", "課長補佐", 40, True),
    PostSpec("kakaricho", "係長", 30, True, "subsection"),
    PostSpec("shunin", "主任", 20, False),
    PostSpec("shuji", "主事", 10, False),
)


@dataclass(frozen=True)
class SectionSpec:
    """A 課 with its numbering symbol, a staffing weight and its 係."""

    name: str
    kana: str
    symbol: str
    weight: int
    subsections: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentSpec:
    """A 部 (or 会計室, 監査委員事務局) with its head's post and its 課."""

    name: str
    kana: str
    head_post: str
    sections: tuple[SectionSpec, ...]


def _s(name: str, kana: str, symbol: str, weight: int, subsections: str) -> SectionSpec:
    return SectionSpec(name, kana, symbol, weight, tuple(subsections.split()))


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "総務部",
        "そうむぶ",
        "bucho",
        (
            _s("総務課", "そうむか", "総", 3, "文書法制係 庶務係 統計係"),
            _s("人事課", "じんじか", "人", 3, "人事係 給与厚生係"),
            _s("情報政策課", "じょうほうせいさくか", "情", 3, "情報企画係 システム管理係 DX推進係"),
            _s("契約管財課", "けいやくかんざいか", "契", 2, "契約係 管財係"),
            _s("防災安全課", "ぼうさいあんぜんか", "防", 2, "防災係 安全安心係"),
        ),
    ),
    DepartmentSpec(
        "企画部",
        "きかくぶ",
        "bucho",
        (
            _s("企画政策課", "きかくせいさくか", "企", 3, "企画係 政策調整係"),
            _s("財政課", "ざいせいか", "財", 2, "財政係 予算係"),
            _s("広報広聴課", "こうほうこうちょうか", "広", 2, "広報係 広聴係"),
            _s("行政経営課", "ぎょうせいけいえいか", "行", 2, "行政改革係 公共施設係"),
        ),
    ),
    DepartmentSpec(
        "市民部",
        "しみんぶ",
        "bucho",
        (
            _s("市民課", "しみんか", "市", 5, "住民記録係 戸籍係 証明係"),
            _s("税務課", "ぜいむか", "税", 5, "市民税係 資産税係 諸税係"),
            _s("納税課", "のうぜいか", "納", 4, "納税係 収納係 滞納整理係"),
            _s("保険年金課", "ほけんねんきんか", "保", 4, "国保係 年金係 後期高齢係"),
            _s("市民活動推進課", "しみんかつどうすいしんか", "活", 2, "市民活動係 協働推進係"),
        ),
    ),
    DepartmentSpec(
        "健康福祉部",
        "けんこうふくしぶ",
        "bucho",
        (
            _s("福祉総務課", "ふくしそうむか", "福", 2, "庶務係 援護係"),
            _s("障害福祉課", "しょうがいふくしか", "障", 3, "障害支援係 給付係"),
            _s("高齢福祉課", "こうれいふくしか", "高", 3, "高齢支援係 地域包括係"),
            _s("介護保険課", "かいごほけんか", "介", 4, "資格係 給付係 認定係"),
            _s("生活福祉課", "せいかつふくしか", "生", 4, "保護第一係 保護第二係"),
            _s("健康推進課", "けんこうすいしんか", "健", 3, "成人保健係 予防係"),
        ),
    ),
    DepartmentSpec(
        "子ども家庭部",
        "こどもかていぶ",
        "bucho",
        (
            _s("子育て支援課", "こそだてしえんか", "子", 3, "子育て支援係 手当係"),
            _s("保育課", "ほいくか", "育", 4, "保育係 施設係"),
            _s("子ども家庭相談課", "こどもかていそうだんか", "家", 2, "相談係 虐待防止係"),
            _s("青少年課", "せいしょうねんか", "青", 2, "青少年係 放課後事業係"),
        ),
    ),
    DepartmentSpec(
        "環境部",
        "かんきょうぶ",
        "bucho",
        (
            _s("環境政策課", "かんきょうせいさくか", "環", 2, "環境企画係 環境保全係"),
            _s("ごみ対策課", "ごみたいさくか", "ご", 3, "収集係 減量推進係"),
            _s("清掃センター", "せいそうせんたー", "清", 3, "管理係 施設係"),
            _s("公園緑地課", "こうえんりょくちか", "公", 2, "公園係 緑化係"),
        ),
    ),
    DepartmentSpec(
        "都市整備部",
        "としせいびぶ",
        "bucho",
        (
            _s("都市計画課", "としけいかくか", "都", 3, "計画係 景観係"),
            _s("建築指導課", "けんちくしどうか", "建", 2, "審査係 指導係"),
            _s("道路課", "どうろか", "道", 4, "管理係 工事係 補修係"),
            _s("下水道課", "げすいどうか", "下", 3, "業務係 工務係"),
            _s("住宅課", "じゅうたくか", "住", 2, "住宅係 管理係"),
        ),
    ),
    DepartmentSpec(
        "教育部",
        "きょういくぶ",
        "bucho",
        (
            _s("教育総務課", "きょういくそうむか", "教", 3, "庶務係 施設係"),
            _s("学務課", "がくむか", "学", 3, "学務係 保健給食係"),
            _s("指導課", "しどうか", "指", 2, "指導係 教育相談係"),
            _s("生涯学習課", "しょうがいがくしゅうか", "涯", 2, "生涯学習係 文化財係"),
            _s("図書館", "としょかん", "図", 3, "管理係 奉仕係"),
            _s("スポーツ振興課", "すぽーつしんこうか", "ス", 2, "スポーツ係 施設係"),
        ),
    ),
    DepartmentSpec(
        "会計室",
        "かいけいしつ",
        "kaikei_kanrisha",
        (_s("会計課", "かいけいか", "会", 3, "審査係 出納係"),),
    ),
    DepartmentSpec(
        "監査委員事務局",
        "かんさいいんじむきょく",
        "bucho",
        (_s("監査課", "かんさか", "監", 2, "監査係"),),
    ),
)
