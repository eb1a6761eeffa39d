from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatastoreConfig(AppConfig):
    name = "datastore"
    verbose_name = _("Kho dữ liệu điện tử của tổ chức, cá nhân")
