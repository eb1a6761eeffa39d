"""Pages of the payments app: the citizen's "Thanh toán" page and the gateway's callbacks
(``online``), the e-receipt lookup (``receipts``), the clerk's counter payment (``counter``)."""
