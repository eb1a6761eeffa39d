"""manage.py signing_import_certificate: give a person or an agency a signing certificate.

    # a PKCS#12 file from a CA (the key goes into the file key store):
    SIGNING_IMPORT_PASSPHRASE=... manage.py signing_import_certificate --user lanhdao.khcn --pkcs12 q.p12
    # a key that stays on a token or HSM:
    manage.py signing_import_certificate --agency-id 12 --certificate seal.pem \\
        --pkcs11-module /usr/lib/softhsm/libsofthsm2.so --token-label congso --key-label khcn
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from agencies.models import Agency
from signing.errors import SigningError
from signing.services import certificate_import_pkcs11, certificate_import_pkcs12


class Command(BaseCommand):
    help = (
        "Nhập chứng thư số ký cho một cán bộ hoặc một cơ quan (tệp PKCS#12 hoặc khóa trên thiết bị PKCS#11)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--user", help="tên đăng nhập của cán bộ")
        owner.add_argument("--agency-id", type=int, help="mã (id) của cơ quan")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--pkcs12", type=Path, help="tệp .p12/.pfx; mật khẩu trong SIGNING_IMPORT_PASSPHRASE"
        )
        source.add_argument(
            "--certificate", type=Path, help="chứng thư (PEM, kèm chuỗi) của khóa trên thiết bị"
        )
        parser.add_argument("--pkcs11-module", default="")
        parser.add_argument("--token-label", default="")
        parser.add_argument("--key-label", default="")
        parser.add_argument("--key-id", default="", help="mã khóa trên thiết bị, dạng thập lục phân")
        parser.add_argument(
            "--pin-env", default="", help="biến môi trường chứa mã PIN (mặc định SIGNING_PKCS11_PIN)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = agency = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], kind=User.Kind.STAFF).first()
            if user is None:
                raise CommandError(f"Không có cán bộ {options['user']}")
        else:
            agency = Agency.objects.filter(pk=options["agency_id"]).first()
            if agency is None:
                raise CommandError(f"Không có cơ quan mã {options['agency_id']}")
        try:
            if options["pkcs12"]:
                record = certificate_import_pkcs12(
                    data=options["pkcs12"].read_bytes(),
                    passphrase=os.environ.get("SIGNING_IMPORT_PASSPHRASE", "").encode(),
                    user=user,
                    agency=agency,
                )
            else:
                if not options["pkcs11_module"] or not (options["key_label"] or options["key_id"]):
                    raise CommandError("Cần --pkcs11-module và --key-label (hoặc --key-id)")
                record = certificate_import_pkcs11(
                    certificate_pem=options["certificate"].read_text(),
                    module=options["pkcs11_module"],
                    token_label=options["token_label"],
                    key_label=options["key_label"],
                    key_id=options["key_id"],
                    pin_env=options["pin_env"],
                    user=user,
                    agency=agency,
                )
        except (OSError, SigningError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã nhập chứng thư số: {record.subject} (hết hạn {record.not_after:%d/%m/%Y})")
