"""External payment gateways, one module per integration, all of the same shape.

Each module (``vnpay`` today; the national payment platform when its specification is
obtained, tthc-requirements §6.2) offers:

* ``config() -> Config`` read from the settings, with ``Config.missing()`` naming the settings
  that are absent (the system check ``payments.E001`` fails start-up on them);
* ``payment_params(...)`` + ``payment_url(cfg, params)``: where to send the citizen's browser;
* ``parse_query(raw)``, ``verify(params, secret)`` and ``read_callback(params) -> Callback``
  for the return and the server-to-server notification;
* ``IpnCode``: the replies the gateway expects.

The modules are pure (no database); ``payments.services`` decides what a callback changes.
"""
