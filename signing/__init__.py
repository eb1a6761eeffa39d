"""PAdES signing and verification of PDFs with X.509 certificates (chữ ký số)."""
