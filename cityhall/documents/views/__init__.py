"""Views of documents and e-approval (文書・電子決裁の画面): thin, each calling one selector or service."""
