"""Back-office pages of payments, mounted at /can-bo/thanh-toan/."""

from django.urls import URLPattern, URLResolver, path

from payments.views import counter

app_name = "payments_staff"
urlpatterns: list[URLPattern | URLResolver] = [
    path("ho-so/<str:reference>/thu-tai-quay/", counter.counter_payment, name="counter_payment"),
    path("ho-so/<str:reference>/mien-giam/<int:fee_id>/", counter.fee_exempt, name="fee_exempt"),
]
