"""Settings for cityhall, read from environment variables with safe defaults.

The embedded default (no variables set) is a development profile on SQLite in
WAL mode under ``var/``, the database task queue and local file storage.
``CITYHALL_ENV=production`` selects the production profile, which refuses to
start without a secret key and allowed hosts and passes ``check --deploy``.
Every variable is listed in docs/operations.md.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CITYHALL_VAR_DIR", BASE_DIR / "var"))

# pytest (8.2+) sets PYTEST_VERSION for its run: tests get the test profile.
PROFILE = os.environ.get("CITYHALL_ENV") or ("test" if "PYTEST_VERSION" in os.environ else "development")
if PROFILE not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"CITYHALL_ENV={PROFILE!r} は不明なプロファイルです (development, production, test のいずれか)。"
    )
PRODUCTION = PROFILE == "production"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} は真偽値ではありません (true / false)。")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} は整数ではありません。") from exc


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_networks(name: str, default: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in _env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} の {item!r} は CIDR 表記のネットワークではありません。") from exc
    return networks


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"本番プロファイルでは環境変数 {name} が必要です。")
    return value


# --- Core -------------------------------------------------------------------
DEBUG = _env_bool("CITYHALL_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = _required("CITYHALL_SECRET_KEY")
    ALLOWED_HOSTS = _env_list("CITYHALL_ALLOWED_HOSTS") or [_required("CITYHALL_ALLOWED_HOSTS")]
else:
    SECRET_KEY = os.environ.get("CITYHALL_SECRET_KEY", "dev-insecure-key-change-me-" + "x" * 40)
    ALLOWED_HOSTS = _env_list("CITYHALL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CITYHALL_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "cityhall.core",
    "cityhall.accounts",
    "cityhall.org",
    "cityhall.web",
    "cityhall.search",
    "cityhall.signing",
    "cityhall.documents",
    "cityhall.notifications",
    "cityhall.finance",
    "cityhall.auditroom",
    "cityhall.savings",
    "cityhall.automation",
    "cityhall.inquiries",
    "cityhall.telework",
    "cityhall.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cityhall.core.limits.RequestSizeLimitMiddleware",
    "cityhall.core.middleware.AccessContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cityhall.core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cityhall.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cityhall.urls"
WSGI_APPLICATION = "cityhall.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cityhall.web.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
_SQLITE_OPTIONS = {
    # IMMEDIATE: every transaction takes the write lock first, so read-then-write
    # sequences (audit chain head, numbering, budget checks) never deadlock.
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=_env_int("CITYHALL_DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL を解釈できません: {exc}") from exc
    if not _db.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL のスキーム (postgres:// または sqlite:///) が不明です。")
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["OPTIONS"] = dict(_SQLITE_OPTIONS)
    _db["CONN_HEALTH_CHECKS"] = True
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "cityhall.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    }
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that browser tests' server thread and the
    # concurrency tests' threads share one database; one per process so that
    # parallel runs never share it.
    DATABASES["default"]["TEST"]["NAME"] = str(VAR_DIR / f"test-cityhall-{os.getpid()}.sqlite3")

# --- Full-text search (全文検索) -------------------------------------------------
# Each query of a search (the page, the capped count) is stopped by the database
# after this many milliseconds; a count stopped so is shown as 「多数」.
CITYHALL_SEARCH_TIME_BUDGET_MS = _env_int("CITYHALL_SEARCH_TIME_BUDGET_MS", 400)
if not 1 <= CITYHALL_SEARCH_TIME_BUDGET_MS <= 10_000:
    raise ImproperlyConfigured("CITYHALL_SEARCH_TIME_BUDGET_MS は 1〜10000 (ミリ秒) で指定してください。")

# --- Background tasks -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if os.environ.get("CITYHALL_TASKS_IMMEDIATE") == "1":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Cache ------------------------------------------------------------------
# Shared by every process on the machine (files) or by every server (Redis), so
# one-time form tokens and throttles hold across gunicorn workers.
if PROFILE == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Audit anchors and daily jobs -------------------------------------------
# The audit chain's head is written here daily (manage.py scheduler) and by anchor_audit;
# copy the files off the server (backup, another disk) so that the database's owner cannot rewrite them.
AUDIT_ANCHOR_DIR = Path(os.environ.get("CITYHALL_AUDIT_ANCHOR_DIR", VAR_DIR / "audit-anchors"))
SCHEDULER_STATE_FILE = VAR_DIR / "scheduler-state.json"

# --- Files ------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("CITYHALL_MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT = BASE_DIR / "static_build"
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
_S3_BUCKET = os.environ.get("CITYHALL_S3_BUCKET", "")
_default_storage: dict[str, object]
if _S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": os.environ.get("CITYHALL_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CITYHALL_S3_REGION") or None,
            "access_key": os.environ.get("CITYHALL_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CITYHALL_S3_SECRET_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CITYHALL_MAX_UPLOAD_BYTES = _env_int("CITYHALL_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# An Office or OpenDocument attachment inflated in all (展開後の上限); above it the file is refused.
CITYHALL_MAX_ARCHIVE_BYTES = _env_int("CITYHALL_MAX_ARCHIVE_BYTES", 100 * 1024 * 1024)

# --- Signed PDFs (電子署名) ---------------------------------------------------
# The city's signing certificate: either a key and certificate in PEM (a
# self-signed pair is made by `manage.py ensure_city_certificate`) or a PKCS#12
# file such as an LGPKI office certificate. Extra trusted roots and chain
# certificates (PEM or DER files) are comma-separated lists.
_CERTS_DIR = VAR_DIR / "certs"
CITYHALL_SIGNING_KEY_FILE = Path(os.environ.get("CITYHALL_SIGNING_KEY_FILE", _CERTS_DIR / "city-signing-key.pem"))
CITYHALL_SIGNING_CERT_FILE = Path(os.environ.get("CITYHALL_SIGNING_CERT_FILE", _CERTS_DIR / "city-signing-cert.pem"))
CITYHALL_SIGNING_P12 = os.environ.get("CITYHALL_SIGNING_P12", "")
CITYHALL_SIGNING_PASSPHRASE = os.environ.get("CITYHALL_SIGNING_PASSPHRASE", "")
CITYHALL_SIGNING_CHAIN_FILES = _env_list("CITYHALL_SIGNING_CHAIN_FILES")
CITYHALL_SIGNING_TRUST_ROOTS = _env_list("CITYHALL_SIGNING_TRUST_ROOTS")
CITYHALL_SIGNING_COMMON_NAME = os.environ.get("CITYHALL_SIGNING_COMMON_NAME", "みどり野市長")
CITYHALL_SIGNING_ORGANIZATION = os.environ.get("CITYHALL_SIGNING_ORGANIZATION", "みどり野市")
# CRLs of the city's CA known without fetching (PEM or DER files), and whether CRLs and OCSP
# responses may be fetched from the certificates' distribution points when signing (LGPKI).
CITYHALL_SIGNING_CRL_FILES = _env_list("CITYHALL_SIGNING_CRL_FILES")
CITYHALL_SIGNING_FETCH_REVOCATION = _env_bool("CITYHALL_SIGNING_FETCH_REVOCATION", False)
# The demo city's own CA and time-stamping authority (signing.authority), made by ensure_city_certificate.
CITYHALL_SIGNING_DEMO_DIR = Path(os.environ.get("CITYHALL_SIGNING_DEMO_DIR", _CERTS_DIR / "demo"))
# Its files, for the backup (core.backup copies what the CITYHALL_SIGNING_* settings name).
CITYHALL_SIGNING_DEMO_FILES = [
    CITYHALL_SIGNING_DEMO_DIR / name for name in ("ca-cert.pem", "ca-key.pem", "tsa-cert.pem", "tsa-key.pem")
]
CITYHALL_SIGNING_DEMO_TSA_DAYS = _env_int("CITYHALL_SIGNING_DEMO_TSA_DAYS", 1826)
CITYHALL_SIGNING_DEMO_CRL_URL = os.environ.get(
    "CITYHALL_SIGNING_DEMO_CRL_URL", "http://127.0.0.1:8000/signing/demo-ca.crl"
)
# Time-stamping authority (タイムスタンプ局, RFC 3161) for PAdES B-T/B-LTA: an http(s) URL of the
# TSA the city contracts with (optional basic auth), "local" for the demo TSA in this process,
# or "" for none (signatures stay B-B). The demo TSA also answers at /signing/tsa/ when served.
CITYHALL_TSA_URL = os.environ.get("CITYHALL_TSA_URL", "" if PRODUCTION else "local")
CITYHALL_TSA_USERNAME = os.environ.get("CITYHALL_TSA_USERNAME", "")
CITYHALL_TSA_PASSWORD = os.environ.get("CITYHALL_TSA_PASSWORD", "")
CITYHALL_TSA_TIMEOUT_SECONDS = _env_int("CITYHALL_TSA_TIMEOUT_SECONDS", 10)
CITYHALL_TSA_RETRIES = _env_int("CITYHALL_TSA_RETRIES", 2)
# The demo TSA's policy: an OID of the arc ITU-T X.660 keeps for examples (2.999), never a real policy.
CITYHALL_TSA_POLICY_OID = os.environ.get("CITYHALL_TSA_POLICY_OID", "2.999.3161.1")
CITYHALL_TSA_SERVE_DEMO = _env_bool("CITYHALL_TSA_SERVE_DEMO", not PRODUCTION)
# A record's archive timestamp is renewed this many days before its TSA certificate ends (長期署名の延長).
CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS = _env_int("CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS", 365)
CITYHALL_PDF_FONT_GOTHIC = os.environ.get("CITYHALL_PDF_FONT_GOTHIC", "")
CITYHALL_PDF_FONT_MINCHO = os.environ.get("CITYHALL_PDF_FONT_MINCHO", "")

# Budget movements and inspection (予算の移動・検査), issue 11.
# The section every 流用・予備費充用・繰越 is consulted with (必須合議先), by name; the defaults attach it.
CITYHALL_BUDGET_SECTION_NAME = os.environ.get("CITYHALL_BUDGET_SECTION_NAME", "財政課")
# The section that reviews 条例・規則 (例規審査), the mandatory consult of the default 例規 row, by name.
CITYHALL_LEGAL_SECTION_NAME = os.environ.get("CITYHALL_LEGAL_SECTION_NAME", "総務課")
# The documents section (文書主管課) every disposal/transfer list is consulted with (必須合議先), by name (issue 15).
CITYHALL_RECORDS_SECTION_NAME = os.environ.get("CITYHALL_RECORDS_SECTION_NAME", "総務課")
# A purchase at or above this many yen needs a 検査調書 (法234条の2, 令167条の15); 工事 (節14) always does.
CITYHALL_INSPECTION_REPORT_FROM_YEN = _env_int("CITYHALL_INSPECTION_REPORT_FROM_YEN", 1_000_000)
# The 節 of purchases (物品の買入れ) that need it from that amount: 需用費・原材料費・備品購入費.
CITYHALL_PURCHASE_SETSU = frozenset(
    code.strip() for code in os.environ.get("CITYHALL_PURCHASE_SETSU", "10,15,17").split(",") if code.strip()
)

# --- Authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if PROFILE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Session: expires after inactivity and at browser close.
SESSION_COOKIE_AGE = _env_int("CITYHALL_SESSION_SECONDS", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock a user name at an address after repeated failures (the pair, so a stranger's
# failures lock out nobody else), plus a higher ceiling per address (cityhall.accounts.lockout).
AXES_FAILURE_LIMIT = _env_int("CITYHALL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("CITYHALL_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
CITYHALL_LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("CITYHALL_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cityhall.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cityhall.core.network.client_ip_for_axes"
AXES_VERBOSE = False

# Second factor: "always", "remote" (only outside the office networks) or "never".
CITYHALL_MFA_REQUIRED = os.environ.get("CITYHALL_MFA_REQUIRED", "remote")
# How long an enrolment code issued by IT (登録コード) stays valid.
CITYHALL_ENROLMENT_CODE_HOURS = _env_int("CITYHALL_ENROLMENT_CODE_HOURS", 24)
if CITYHALL_MFA_REQUIRED not in {"always", "remote", "never"}:
    raise ImproperlyConfigured("CITYHALL_MFA_REQUIRED は always, remote, never のいずれかです。")
if PRODUCTION and CITYHALL_MFA_REQUIRED == "never":
    raise ImproperlyConfigured("本番プロファイルでは CITYHALL_MFA_REQUIRED=never は使えません。")
OTP_TOTP_ISSUER = os.environ.get("CITYHALL_OTP_ISSUER", "cityhall")

# Office or remote: requests from these networks are "office".
OFFICE_NETWORKS = _env_networks("OFFICE_NETWORKS", "127.0.0.0/8,::1/128")
# Reverse proxies whose X-Forwarded-For we believe. Empty: trust none.
TRUSTED_PROXIES = _env_networks("CITYHALL_TRUSTED_PROXIES", "")

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
CITYHALL_DATE_STYLE = os.environ.get("CITYHALL_DATE_STYLE", "wareki")  # or "western"

# --- Bank transfer files (全銀 総合振込) ----------------------------------------
# The city's paying account at its designated bank (指定金融機関) and its 依頼人 code and
# name as the bank registered them (半角カナ). The demo values are fictitious.
CITYHALL_ZENGIN = {
    "requester_code": os.environ.get("CITYHALL_ZENGIN_REQUESTER_CODE", "1234567890"),
    "requester_name": os.environ.get("CITYHALL_ZENGIN_REQUESTER_NAME", "ﾐﾄﾞﾘﾉｼ ｶｲｹｲｶﾝﾘｼﾔ"),
    "bank_code": os.environ.get("CITYHALL_ZENGIN_BANK_CODE", "0001"),
    "branch_code": os.environ.get("CITYHALL_ZENGIN_BRANCH_CODE", "001"),
    "account_type": os.environ.get("CITYHALL_ZENGIN_ACCOUNT_TYPE", "1"),
    "account_number": os.environ.get("CITYHALL_ZENGIN_ACCOUNT_NUMBER", "1234567"),
    # "crlf" (records on lines) or "none" (records back to back), as the bank asks.
    "separator": os.environ.get("CITYHALL_ZENGIN_SEPARATOR", "crlf"),
    # How many bank business days before the payment date the bank wants the file (指定日の何営業日前).
    "lead_days": int(os.environ.get("CITYHALL_ZENGIN_LEAD_DAYS", "2")),
}

# --- 支出負担行為兼支出命令 ----------------------------------------------------------
# The 節 on which one document may both encumber and order: those whose 支出負担行為 falls
# 「支出決定のとき」 or 「請求のあったとき」 in the city's 支出負担行為整理区分表 (payroll 1–6,
# 報償費, 旅費, 交際費, 需用費, 役務費, 使用料, 負担金, 扶助費, 償還金, 公課費, 繰出金).
# A city whose 財務規則 differs lists its own, comma separated.
CITYHALL_COMBINABLE_SETSU = frozenset(
    code.strip()
    for code in os.environ.get("CITYHALL_COMBINABLE_SETSU", "1,2,3,4,5,6,7,8,9,10,11,13,18,19,22,26,27").split(",")
    if code.strip()
)

# 節 whose payments are 工事代金 for the payment deadline (支払遅延防止法§6: 40 days, else 30).
CITYHALL_WORKS_SETSU = frozenset(
    code.strip() for code in os.environ.get("CITYHALL_WORKS_SETSU", "14").split(",") if code.strip()
)

# --- 契約 (contracts) ---------------------------------------------------------
# 少額随意契約 limits (令167条の2①1号, 別表第5) by kind, with effective dates: None takes the table for
# 市町村 in cityhall/finance/contracts.py (from 2025-04-01: 工事 200万円, 買入れ 150万円, 借入れ 80万円,
# 売払い 50万円, 貸付け 30万円, その他 100万円). A city whose 規則 sets lower limits, or a 都道府県,
# gives its own {kind: ((effective_from or None, yen), ...)}.
CITYHALL_NEGOTIATED_LIMITS = None
# Days within which encumbrances of one creditor on one budget line are added up for the
# splitting warning (分割発注の疑い) shown to the approver.
CITYHALL_SPLIT_WINDOW_DAYS = int(os.environ.get("CITYHALL_SPLIT_WINDOW_DAYS", "30"))

# --- 請求書の取込 (automation) -----------------------------------------------------
# Minutes a payment slip typed by hand would have taken, per form of invoice: the hours saved page
# adds them up. Cities report 1 to 8 minutes a slip; an e-invoice of several lines is the longest.
CITYHALL_MINUTES_PER_SLIP = {"jp_pint": 6, "csv": 4, "excel": 4, "template": 3}

# --- 財産照会 (inquiries) ---------------------------------------------------------------
# Minutes by hand for the hours saved: an inquiry letter (照会書, with the institution's address and
# the terms) and each person's row of its list (name, kana, birth date, addresses).
CITYHALL_INQUIRY_MINUTES = {"letter": 15, "row": 2}
# Task inventory (業務棚卸し): 「押印・紙の決裁」 counts as removed for a task when its section decided at least this
# share (percent) of its documents of the task's kind electronically in the last WINDOW_DAYS days.
CITYHALL_TELEWORK_E_DECISION_SHARE = _env_int("CITYHALL_TELEWORK_E_DECISION_SHARE", 80)
CITYHALL_TELEWORK_WINDOW_DAYS = _env_int("CITYHALL_TELEWORK_WINDOW_DAYS", 90)

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("CITYHALL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("CITYHALL_FROM_EMAIL", "cityhall@localhost")
if PROFILE == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, never
# inline (templates keep JSON data in json_script; htmx's indicator styles are in app.css and its
# eval is off, see web/base.html). The file viewers in documents/views/files.py set a stricter one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page of ours uses a device or sensor.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("CITYHALL_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("CITYHALL_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CITYHALL_LOG_LEVEL", "INFO")},
    # pyHanko warns, with a traceback, about each certificate it could not validate; verify_pdf reports the verdict.
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "pyhanko": {"level": "ERROR"}},
}
