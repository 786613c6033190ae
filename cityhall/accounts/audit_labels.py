"""Names of the sign-in and second-factor audit actions (認証の監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={
        "auth.login": _("サインイン"),
        "auth.logout": _("サインアウト"),
        "auth.login_failed": _("サインイン失敗"),
        "auth.locked_out": _("アカウントのロック"),
        "auth.session_expired": _("セッションの期限切れ"),
        "auth.otp_enrolment_started": _("二要素認証の登録開始"),
        "auth.otp_enrolled": _("二要素認証の登録"),
        "auth.otp_verified": _("二要素認証の確認"),
        "auth.otp_failed": _("二要素認証の失敗"),
        "auth.otp_throttled": _("二要素認証の試行制限"),
        "auth.recovery_codes_regenerated": _("リカバリーコードの再発行"),
        "auth.enrolment_code_issued": _("登録コードの発行"),
        "auth.enrolment_code_used": _("登録コードの使用"),
        "auth.enrolment_code_failed": _("登録コードの誤り"),
        "auth.unlocked": _("アカウントのロック解除"),
    },
    object_types={"accounts.user": _("職員")},
)
