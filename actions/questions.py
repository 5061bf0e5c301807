"""The question types a citizen asks about a procedure, keyed by the intents that ask them."""

from __future__ import annotations

QUESTION_BY_INTENT: dict[str, str] = {
    "ask_documents": "documents",
    "ask_fee": "fee",
    "ask_processing_time": "time",
    "ask_agency": "agency",
    "ask_steps": "steps",
    "ask_conditions": "conditions",
    "ask_legal_basis": "legal_basis",
    "ask_online": "online",
    "ask_overview": "overview",
}
INTENT_BY_QUESTION = {question: intent for intent, question in QUESTION_BY_INTENT.items()}

# What each question is called in an answer ("CSDL chưa có thông tin về ...").
QUESTION_LABELS: dict[str, str] = {
    "documents": "thành phần hồ sơ",
    "fee": "phí, lệ phí",
    "time": "thời hạn giải quyết",
    "agency": "cơ quan thực hiện",
    "steps": "trình tự thực hiện",
    "conditions": "yêu cầu, điều kiện",
    "legal_basis": "căn cứ pháp lý",
    "online": "cách nộp trực tuyến",
    "overview": "thông tin chung",
}
