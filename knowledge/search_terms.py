"""Vocabulary for procedure search: question phrases, everyday names and specialised-variant markers.

Phrases are written in normalised Vietnamese with diacritics; search matches them without diacritics.
"""

from __future__ import annotations

# Words and phrases that ask about a procedure rather than name it; they weigh little in a query.
QUESTION_PHRASES: tuple[str, ...] = (
    "cần giấy tờ gì", "cần những giấy tờ gì", "giấy tờ gì", "những giấy tờ nào", "giấy tờ nào",
    "cần những gì", "hồ sơ gồm những gì", "hồ sơ gồm", "hồ sơ gì", "hồ sơ cần", "cần chuẩn bị",
    "hết bao nhiêu tiền", "mất bao nhiêu tiền", "tốn bao nhiêu tiền", "bao nhiêu tiền", "hết bao nhiêu",
    "lệ phí bao nhiêu", "lệ phí", "phí bao nhiêu", "chi phí", "tốn kém", "mất phí", "có mất tiền",
    "mất bao lâu", "bao lâu thì có", "bao lâu", "mấy ngày", "bao nhiêu ngày", "khi nào có",
    "nộp ở đâu", "làm ở đâu", "ở đâu", "chỗ nào", "nơi nào", "đi đâu",
    "như thế nào", "thế nào", "ra sao", "làm sao", "làm thế nào", "cách làm", "các bước", "quy trình",
    "thủ tục", "hướng dẫn", "cho tôi hỏi", "cho em hỏi", "cho mình hỏi", "xin hỏi", "hỏi về", "tư vấn",
    "muốn", "cần", "phải", "làm", "đi", "xin", "được không", "có được", "có thể", "online", "trực tuyến",
    "tôi", "em", "mình", "anh", "chị", "ạ", "à", "ơi", "nhé", "với", "giúp", "giùm", "dùm", "thì", "là",
    "có", "không", "gì", "nào", "những", "các", "của", "và", "hay", "hoặc", "bị", "được", "cho con",
    "cho bé", "cho cháu", "nhà tôi", "quản trị viên", "admin", "bạn", "vậy", "nhỉ", "rồi", "mới", "ở",
    "tại", "về", "này", "đó", "nay", "hôm nay", "mai", "ngày mai", "tuần", "hồ sơ", "đâu", "nhanh",
)  # fmt: skip

# Everyday words citizens use → the words official procedure names use instead. Added to the query
# (the curated overlay's everyday names cover whole procedures; this covers vocabulary).
EVERYDAY: dict[str, str] = {
    "sổ đỏ": "giấy chứng nhận quyền sử dụng đất",
    "sổ hồng": "giấy chứng nhận quyền sử dụng đất quyền sở hữu nhà ở",
    "bìa đỏ": "giấy chứng nhận quyền sử dụng đất",
    "hộ khẩu": "thường trú",
    "nhập khẩu": "đăng ký thường trú",
    "cắt khẩu": "xóa đăng ký thường trú",
    "bằng lái": "giấy phép lái xe",
    "căn cước công dân": "thẻ căn cước",
    "chứng minh nhân dân": "thẻ căn cước",
    "chứng minh thư nhân dân": "thẻ căn cước",
    "chứng minh thư": "thẻ căn cước",
    "passport": "hộ chiếu",
    "độc thân": "xác nhận tình trạng hôn nhân",
    "giấy chứng tử": "khai tử",
    "báo tử": "khai tử",
    "cưới": "kết hôn",
    "công chứng": "chứng thực",
    "sao y": "chứng thực bản sao",
    "photo": "bản sao",
    "visa": "thị thực",
    "mã số thuế": "đăng ký thuế",
    "cà vẹt": "chứng nhận đăng ký xe",
    "giấy đăng ký xe": "chứng nhận đăng ký xe",
    "biển số": "biển số xe",
    "thổ cư": "đất ở",
    "lên thổ cư": "chuyển mục đích sử dụng đất",
    "xây nhà": "giấy phép xây dựng nhà ở",
    "sửa tên": "thay đổi cải chính thông tin hộ tịch",
    "ghi sai": "cải chính",
    "bị sai": "cải chính",
    "mất": "cấp lại trình báo mất",
    "hỏng": "cấp đổi cấp lại hư hỏng",
    "hết hạn": "cấp đổi gia hạn",
    "làm lại": "cấp lại",
    "xin lại": "cấp lại",
    "sang tên": "đăng ký biến động chuyển nhượng",
}

# Marks of a specialised variant in a procedure name (accent-free regex on the name), the accent-free
# query words that ask for it, and whether a message that asks for it should demote names without it.
# A name with a marker the message does not ask for is demoted.
SPECIALISED: tuple[tuple[str, str, bool], ...] = (
    (r"\bnuoc ngoai\b", r"\b(?:nuoc ngoai|ngoai quoc|tay|viet kieu|quoc tich khac)\b", True),
    (r"\bluu dong\b", r"\bluu dong\b", True),
    (r"\bbien gioi\b", r"\bbien gioi\b", True),
    (r"\bco quan dai dien\b", r"\b(?:co quan dai dien|dai su quan|lanh su)\b", True),
    (
        r"\b(?:doi voi|cua|cho|danh cho) (?:cac )?to chuc\b|^to chuc\b",
        r"\b(?:to chuc|cong ty|doanh nghiep)\b",
        False,
    ),
    (r"\bdoanh nghiep\b", r"\b(?:doanh nghiep|cong ty)\b", False),
    (r"\bhop tac xa\b|\bhtx\b", r"\bhop tac xa\b|\bhtx\b", True),
    (r"\btrung uong\b|\bcap bo\b", r"\b(?:trung uong|cuc|bo)\b", False),
    (r"\bcap huyen\b", r"\bhuyen\b", False),
    (r"\bket hop\b", r"\b(?:ket hop|cung luc|dong thoi|lien thong)\b", True),
    (r"\blien thong\b", r"\b(?:ket hop|lien thong|bao hiem y te|bhyt|cung luc)\b", False),
    (r"\b(?:dang ky|cap) lai\b", r"\b(?:cap|lam|dang ky|xin|dang ki) lai\b", True),
    (r"\b(?:dang ky|cap) lai\b", r"\b(?:lai(?! xe)|mat|hong|rach)\b", False),
    (r"\bcap doi\b|^doi\b", r"\b(?:doi|het han|hong|sai|thay doi|cap doi)\b", False),
    (r"\bda co ho so\b", r"\b(?:da co ho so|giay to ca nhan)\b", False),
    (r"\bquan su\b|\bquoc phong\b|\bquan doi\b", r"\b(?:quan su|quoc phong|quan doi|bo doi)\b", True),
    (r"\bcong an nhan dan\b", r"\bcong an nhan dan\b|\bnganh cong an\b|\bthan nhan cong an\b", True),
    (r"\bquoc te\b", r"\bquoc te\b", True),
    (r"\bduoi 14 tuoi\b", r"\b(?:duoi 14|tre em|con|be|chau|nho)\b", False),
    (r"\bchua xac dinh duoc quoc tich\b|\bkhong quoc tich\b", r"\bquoc tich\b", False),
    (r"\bghi vao so ho tich\b", r"\b(?:ghi vao so|ghi chu)\b", True),
    (r"\bchuyen nganh\b|\bchuyen dung\b", r"\bchuyen (?:nganh|dung)\b", False),
)
