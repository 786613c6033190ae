"""Electronic seal stamps (電子印影), approval sheets (起案用紙) and signed PDFs (電子署名).

Document-agnostic building blocks for the documents app. Public API (import
from the modules; nothing is imported here, so app loading stays light)::

    from cityhall.signing.seal import Stamp, stamp_svg, draw_stamp
    from cityhall.signing.sheet import ApprovalSheet, RouteEntry, AttachmentEntry, render_sheet
    from cityhall.signing.sign import sign_pdf                      # B-T, or B-LTA with long_term=True
    from cityhall.signing.longterm import describe, extend           # level, timestamps, proof; archive timestamps
    from cityhall.signing.verify import verify_pdf, VerifyReport
    from cityhall.signing.certs import ensure_city_certificate
    from cityhall.signing.services import long_term_state_record    # LongTermSignature, by owner label and id
    from cityhall.signing.pdfa import pdfa_problems

Commands: ``ensure_city_certificate`` (idempotent, run at install and by
``make run``; also the demo CA and TSA), ``verify_pdf FILE`` and ``check_pdfa FILE``.
Pages: ``signing:verify``; for machines, the demo TSA ``signing:tsa`` and CRL ``signing:demo_ca_crl``.
"""
