"""The Zalo Official Account channel: the webhook (way in) and the OA message API (way out)."""
