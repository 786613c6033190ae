"""Electronic seal stamps (電子印影), approval sheets (起案用紙) and signed PDFs (電子署名).

Document-agnostic building blocks for the documents app. Public API (import
from the modules; nothing is imported here, so app loading stays light)::

    from cityhall.signing.seal import Stamp, stamp_svg, draw_stamp
    from cityhall.signing.sheet import ApprovalSheet, RouteEntry, AttachmentEntry, render_sheet
    from cityhall.signing.sign import sign_pdf
    from cityhall.signing.verify import verify_pdf, VerifyReport
    from cityhall.signing.certs import ensure_city_certificate

Commands: ``ensure_city_certificate`` (idempotent, run at install and by
``make run``) and ``verify_pdf FILE``. Page: ``signing:verify``.
"""
