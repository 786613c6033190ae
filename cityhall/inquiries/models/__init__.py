"""The inquiries' data (財産照会のデータ): persons, institutions, batches with their letters, answers.

One module per sub-domain: ``persons`` (滞納者), ``institutions`` (照会先), ``batches`` (照会の一括と
照会先ごとの照会書), ``answers`` (回答と判明財産), ``person_imports`` (滞納者一覧の取込と列の設定),
``letters`` (照会書・照会ファイル・督促状のファイルと督促). Every row that says something about a person
belongs, directly or through its batch, to one tax collection section (``section``): the secrecy
rule of ``cityhall.inquiries.access`` filters by it.
"""

from cityhall.inquiries.models.answers import (
    AccountType,
    Answer,
    AnswerFile,
    AnswerLayout,
    AnswerResult,
    AssetKind,
    FoundAsset,
    MatchStatus,
)
from cityhall.inquiries.models.batches import BatchPerson, InquiryBatch, InquiryItem, Letter, LetterStatus
from cityhall.inquiries.models.institutions import Channel, Institution, InstitutionKind, MatchOn
from cityhall.inquiries.models.letters import LetterFile, LetterFileKind, Reminder
from cityhall.inquiries.models.person_imports import PersonImport, PersonImportLayout
from cityhall.inquiries.models.persons import DelinquentPerson, FormerAddress, TaxItem

__all__ = [
    "AccountType",
    "Answer",
    "AnswerFile",
    "AnswerLayout",
    "AnswerResult",
    "AssetKind",
    "BatchPerson",
    "Channel",
    "DelinquentPerson",
    "FormerAddress",
    "FoundAsset",
    "InquiryBatch",
    "InquiryItem",
    "Institution",
    "InstitutionKind",
    "Letter",
    "LetterFile",
    "LetterFileKind",
    "LetterStatus",
    "MatchOn",
    "MatchStatus",
    "PersonImport",
    "PersonImportLayout",
    "Reminder",
    "TaxItem",
]
