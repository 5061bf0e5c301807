"""action_answer_procedure: answers any question about a procedure, keeping the thread across turns.

Which procedure: the one this message links with confidence ("thế còn hộ chiếu thì sao" moves to it);
else the conversation's procedure, or the sibling that a detail of this message selects ("con em 10
tuổi", "vợ em người Nhật": the search reads the message together with the procedure's name), saying
so; else, with no procedure yet, a question which one when the first candidates are too close to call,
or the one this message names together with the one before it (a story told over two turns). A
confident jump to an unrelated procedure is the worst answer there is: a follow-up that names none
with confidence keeps the thread.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer, button, title
from actions.questions import QUESTION_BY_INTENT
from knowledge.base import load
from knowledge.model import Procedure
from knowledge.search import Ranking, details_stated, search, topic_of, without_subject
from knowledge.search.analysis import asked_kinds
from knowledge.text import expand_abbreviations, normalize


def _entity(tracker: Tracker, name: str) -> dict[str, Any] | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == name:
            return entity
    return None


def _page(tracker: Tracker) -> int:
    entity = _entity(tracker, "page")
    try:
        return max(1, int(str(entity["value"]))) if entity else 1
    except ValueError:
        return 1


def _question(tracker: Tracker) -> str:
    intent = (tracker.latest_message.get("intent") or {}).get("name", "")
    if intent in QUESTION_BY_INTENT and intent != "ask_overview":
        return QUESTION_BY_INTENT[intent]
    # A bare answer ("hộ chiếu", read as inform or as an overview) answers the question the bot asked
    # about, else gets an overview; "thế còn hộ chiếu thì sao?" asks the question asked last, of it.
    text = expand_abbreviations(normalize(str(tracker.latest_message.get("text") or "")))
    last = tracker.get_slot("last_question") if "again" in asked_kinds(text) else None
    return tracker.get_slot("pending_question") or last or "overview"


def _short(procedure: Procedure) -> str:
    name = procedure.short_name or title(procedure)
    return name if len(name) <= 60 else name[:59] + "…"


def _previous_text(tracker: Tracker) -> str:
    """What the citizen wrote before this message (a story told over two turns), or ""."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return texts[-2] if len(texts) >= 2 else ""


def _story(tracker: Tracker) -> Ranking | None:
    """The procedures this message names read together with the one before it (a story over two turns)."""
    previous = _previous_text(tracker)
    if not previous:
        return None
    return search(f"{previous}. {tracker.latest_message.get('text') or ''}", limit=3)


def _asked_about(tracker: Tracker) -> Ranking | None:
    """The procedures of the message before this one alone (the one that made the bot offer a choice)."""
    previous = _previous_text(tracker)
    return search(previous, limit=3) if previous else None


def _names_another(linked: dict[str, Any] | None, current: str, knowledge: Any) -> bool:
    """The link, not confident, is to procedures named in the message, none of them the thread's."""
    if linked is None or not linked.get("named"):
        return False
    candidates = [c for c in linked.get("candidates", []) if c in knowledge]
    return len(candidates) > 1 and current not in candidates


def _variant(current: Procedure, text: str) -> str | None:
    """The sibling a detail of the message selects, read with the procedure; None if the same.

    Only a message that states a detail (a loss, an age, a foreign spouse, a level) moves the thread.
    """
    stated = details_stated(text)
    if not stated:
        return None
    # A different action ("bị mất" after "cấp đổi") is read against the topic alone; any other detail
    # against the procedure's own name, so that its action stays ("đăng ký kết hôn" + a foreign spouse),
    # without who it is for when the message says who ("từ đủ 14 tuổi" against "con em 9 tuổi").
    name = current.short_name or title(current)
    context = topic_of(current) if "action" in stated else name
    if "subject" in stated:
        context = without_subject(context)
    ranking = search(f"{context}. {text}", limit=5)
    if not ranking or ranking.top == current.code:
        return None
    # Read together with the thread's procedure, the first candidate need not be certain: it must beat
    # the thread's own procedure, and be probable enough to offer or a variant of the same topic.
    own = next((hit.score for hit in ranking if hit.code == current.code), 0.0)
    found = load().get(ranking[0].code)
    # A variant's topic is the common one and its mark ("khai sinh" → "khai sinh có yếu tố nước ngoài").
    topics = sorted([f"{topic_of(current)} ", f"{topic_of(found)} " if found else "\0"], key=len)
    sibling = topics[1].startswith(topics[0])
    if ranking.confident or ((ranking.too_close or sibling) and ranking[0].score > own):
        return ranking.top
    return None


class ActionAnswerProcedure(Action):
    """Finds the procedure (this message, or the one the conversation is about) and answers."""

    def name(self) -> str:
        return "action_answer_procedure"

    @staticmethod
    def _ask_which(
        dispatcher: CollectingDispatcher, knowledge: Any, candidates: list[str], question: str
    ) -> list[EventType]:
        dispatcher.utter_message(
            text="Bạn hỏi về thủ tục nào dưới đây ạ?",
            buttons=[button(_short(knowledge[c]), question, c) for c in candidates],
        )
        return [SlotSet("pending_question", question), SlotSet("offer", "candidates")]

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        knowledge = load()
        question = _question(tracker)
        linked = _entity(tracker, "procedure")
        province = _entity(tracker, "province")
        current = tracker.get_slot("procedure")
        current_procedure = knowledge.get(current) if current else None
        chosen = linked is not None and linked.get("extractor") != "ProcedureLinker"  # a button's payload
        confident = linked is not None and (chosen or not linked.get("too_close"))
        # Offered procedures to choose from, the citizen typed instead of clicking: the reply is read
        # with the message that made the bot ask ("cô đã có cccd" there is a detail, not a new topic).
        offered = tracker.get_slot("offer") == "candidates" and not chosen and current_procedure is None
        note = ""
        code: str | None = None
        if offered:
            story = _story(tracker)
            # A reply (inform) is read with the story first; a new question naming a procedure moves on.
            reply = (tracker.latest_message.get("intent") or {}).get("name") == "inform"
            if story is not None and story.confident:
                code = story.top
            elif confident and not reply:
                code = str(linked["value"]) if linked is not None else None
            else:
                # Still undecided: offer again, for this message's question (the story's candidates, or
                # those of the message that made the bot ask).
                undecided = story if story is not None and story.too_close else _asked_about(tracker)
                if undecided is not None and undecided.too_close and len(undecided.codes) > 1:
                    codes = [c for c in undecided.codes if c in knowledge]
                    return self._ask_which(dispatcher, knowledge, codes, question)
                if confident:
                    code = str(linked["value"]) if linked is not None else None
        elif confident:
            code = str(linked["value"]) if linked is not None else None
        elif current_procedure is not None and _names_another(linked, current_procedure.code, knowledge):
            # The message writes out another procedure's name without being sure which of its variants:
            # staying on the thread would answer about the wrong one, so ask.
            candidates = [c for c in (linked or {}).get("candidates", []) if c in knowledge]
            return self._ask_which(dispatcher, knowledge, candidates, question)
        elif current_procedure is not None:
            text = str(tracker.latest_message.get("text") or "")
            variant = _variant(current_procedure, text)
            if variant is not None and variant in knowledge:
                code = variant
                note = (
                    f"Với trường hợp bạn nêu, thủ tục phù hợp là: {title(knowledge[variant])} "
                    f"(thay cho {_short(current_procedure)}).\n\n"
                )
            else:
                code = current  # a follow-up that names no procedure with confidence keeps the thread
        elif linked is not None:
            candidates = [c for c in linked.get("candidates", []) if c in knowledge]
            if len(candidates) > 1:
                return self._ask_which(dispatcher, knowledge, candidates, question)
            code = str(linked.get("value"))
        else:  # "Mẹ em 72 tuổi, hộ khẩu ở Hà Tây cũ." then "giờ nhập khẩu cho mẹ thế nào"
            story = _story(tracker)
            code = story.top if story is not None and story.confident else None

        procedure = knowledge.get(code) if code else None
        if procedure is None:
            prefix = ""
            if province is not None:
                prefix = f"Tôi đã ghi nhận bạn ở {province['value']}. "
            dispatcher.utter_message(
                text=prefix + "Bạn muốn hỏi về thủ tục nào ạ? Ví dụ: làm hộ chiếu, đăng ký khai sinh,"
                " đổi bằng lái xe, đăng ký thường trú."
            )
            return [SlotSet("pending_question", question)]

        reply = answer(procedure, question, _page(tracker))
        dispatcher.utter_message(text=note + reply.text, buttons=reply.buttons or None)
        return [
            SlotSet("procedure", procedure.code),
            SlotSet("pending_question", None),
            SlotSet("last_question", question),
            SlotSet("misunderstood", 0.0),
            SlotSet("offer", None),
        ]
