"""The sandbox bank, mounted at /sandbox-gateway/ only when SANDBOX_GATEWAY_ENABLED."""

from django.urls import URLPattern, URLResolver, path

from sandbox_gateway import views

app_name = "sandbox_gateway"
urlpatterns: list[URLPattern | URLResolver] = [
    path("paymentv2/vpcpay.html", views.vpcpay, name="vpcpay"),
]
