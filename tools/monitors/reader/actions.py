"""Actions: who is told, which task is opened, which records go with the alert.

"notify the process engineer", "通知工艺工程师", "post to #quality", "email qa@x.com",
"create a task", "attach the last 3 maintenance records of the batch's mold"
("附上该批次模具最近3次维修记录"). Roles come from the lexicon (process_engineer,
supplier_quality_engineer...); "maintenance" counts as a recipient only when something is
sent to it, since it is also a kind of record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import Vocabulary, load_vocabulary
from tools.monitors.reader.windows import mask
from tools.monitors.spec import Action, Evidence

_ATTACH_REACH = 60
_SEPARATORS = re.compile(r"[,;.!?，；。]")
_RECORD_OF = {"maintenance_events": "machine", "measurements": "batch",
              "process_parameters": "batch", "defects": "batch",
              "incoming_inspections": "material_lot", "engineering_changes": "part"}
_AMBIGUOUS_ROLES = frozenset({"maintenance"})
_ADDRESSED = re.compile(r"\s*(?:to\s+|at\s+|给\s*|到\s*)?", re.IGNORECASE)


class ActionReading(BaseModel):
    """The actions, in the order written, and the stretches of the request they used."""

    model_config = ConfigDict(frozen=True)

    actions: tuple[Action, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()


def read_evidence(text: str, tokens: list[Token]) -> ActionReading:
    """``attach_evidence`` actions: "the last 3 maintenance records of the mold"."""
    vocabulary = load_vocabulary()
    attach_points = [t.start for t in tokens if t.has("action") and "attach" in t.concepts(
        "action")]
    found: list[tuple[int, Action, tuple[int, int]]] = []
    working = text
    for number, pattern in enumerate(vocabulary.evidence_patterns):
        for match in pattern.finditer(working):
            needs_verb = match.groupdict().get("n") is None and number != 0
            if needs_verb and not _after_attach(match.start(), attach_points, working):
                continue
            evidence = _evidence_of(match, vocabulary)
            if evidence is None:
                continue
            span = _with_verb(match.span(), attach_points, working)
            found.append((match.start(), Action(kind="attach_evidence", evidence=evidence),
                          span))
            working = mask(working, [span])
    found.sort(key=lambda f: f[0])
    return ActionReading(actions=tuple(a for _, a, _ in found),
                         spans=tuple(s for _, _, s in found))


def _after_attach(position: int, attach_points: list[int], text: str) -> bool:
    return any(0 <= position - p <= _ATTACH_REACH and not _SEPARATORS.search(text[p:position])
               for p in attach_points)


def _with_verb(span: tuple[int, int], attach_points: list[int], text: str) -> tuple[int, int]:
    start, end = span
    for point in attach_points:
        if 0 <= start - point <= _ATTACH_REACH and not _SEPARATORS.search(text[point:start]):
            return point, end
    return start, end


def _evidence_of(match: re.Match[str], vocabulary: Vocabulary) -> Evidence | None:
    written = match.group("rec")
    records = next((name for name, pattern in vocabulary.evidence_records.items()
                    if pattern.en.fullmatch(written) or pattern.zh.fullmatch(written)), None)
    if records is None:
        return None
    asset_text = match.groupdict().get("of")
    of = _RECORD_OF[records]
    if asset_text:
        of = next((name for name, pattern in vocabulary.evidence_assets.items()
                   if pattern.search(asset_text)), of)
    if records == "maintenance_events" and of not in ("tool", "machine"):
        of = "machine"
    last = int(match.group("n")) if match.groupdict().get("n") else 3
    return Evidence(records=records, of=of, last=max(1, min(last, 100)))  # type: ignore[arg-type]


def read_actions(text: str, tokens: list[Token]) -> ActionReading:
    """Tasks and notifications (evidence is read first by ``read_evidence``; pass the text
    with its spans masked)."""
    vocabulary = load_vocabulary()
    found: list[tuple[int, Action]] = []
    spans: list[tuple[int, int]] = []
    for match in vocabulary.create_task.finditer(text):
        title = vocabulary.task_title.search(text, match.end(), match.end() + 80)
        owner = _task_owner(text, match, tokens, vocabulary)
        found.append((match.start(), Action(kind="create_task",
                                            role=owner.concepts("role")[0] if owner else None,
                                            title=title.group("title") if title else None)))
        spans.append((match.start(), title.end() if title else match.end()))
        if owner is not None:
            spans.append((owner.start, owner.end))
    masked = mask(text, spans)
    verbs = vocabulary.notify_verbs.finditer(masked)
    has_verb = bool(verbs)
    media = _media(masked, tokens, vocabulary)
    medium = media[0][0] if len(media) == 1 else None
    own_address = _address_of_medium(masked, tokens, media) if medium == "email" else None
    if own_address is not None:  # "the quality manager by email (qm@x.com)"
        medium = f"email:{own_address.text}"
    roles: list[Token] = []
    requesters: list[Token] = []
    for t in tokens:
        if t.has("role") and not t.inside(spans):
            asking = vocabulary.requester.search(text[max(0, t.start - 24):t.start])
            (requesters if asking else roles).append(t)
    if requesters and not any(t.kind == "email" for t in tokens) \
            and vocabulary.notify_me.search(masked):
        roles.append(requesters[0])  # "I'm the SQE, tell me ..."
    for token in roles:
        role = token.concepts("role")[0]
        if role in _AMBIGUOUS_ROLES and not has_verb:
            continue
        found.append((token.start, Action(kind="notify", role=role, channel=medium)))
        spans.append((token.start, token.end))
    for token in tokens:
        if token.kind == "channel":
            found.append((token.start, Action(kind="notify", channel=token.text)))
        elif token.kind == "email":
            if own_address is token and roles:
                continue
            found.append((token.start, Action(kind="notify", channel=f"email:{token.text}")))
        else:
            continue
        spans.append((token.start, token.end))
    explicit = any(t.kind in ("channel", "email") for t in tokens)
    if medium is not None and not roles and not explicit:
        found.append((media[0][1], Action(kind="notify", channel=medium)))
    spans.extend(span for _, _, span in media)
    spans.extend(verb.span() for verb in verbs)
    found.sort(key=lambda f: f[0])
    return ActionReading(actions=_unique(a for _, a in found), spans=tuple(spans))


def _task_owner(text: str, match: re.Match[str], tokens: list[Token],
                vocabulary: Vocabulary) -> Token | None:
    """The role a task is opened for, written right after ("a task for the SQE") or right
    before it ("给工艺工程师建任务")."""
    for token in tokens:
        if not token.has("role"):
            continue
        if token.start >= match.end() and vocabulary.task_for_after.search(
                text[match.end():token.start]):
            return token
        if token.end <= match.start() and text[token.end:match.start()].strip() == "" \
                and vocabulary.task_for_before.search(text[max(0, token.start - 3):token.start]):
            return token
    return None


_ADDRESS_GAP = re.compile(r"[\s(（:：]{0,4}")


def _address_of_medium(text: str, tokens: list[Token],
                       media: list[tuple[str, int, tuple[int, int]]]) -> Token | None:
    """An address written right after the one medium named ("by email (qm@x.com)")."""
    end = media[0][2][1]
    for token in tokens:
        if token.kind == "email" and token.start >= end \
                and _ADDRESS_GAP.fullmatch(text[end:token.start]):
            return token
    return None


def _media(text: str, tokens: list[Token],
           vocabulary: Vocabulary) -> list[tuple[str, int, tuple[int, int]]]:
    out: list[tuple[str, int, tuple[int, int]]] = []
    for name, pattern in vocabulary.media.items():
        for match in pattern.finditer(text):
            if any(t.overlaps(*match.span()) for t in tokens
                   if not t.has("action") and (t.terms or t.kind != "term")):
                continue  # part of a name, a channel or an address, not a medium
            if any(t.kind == "email" and _ADDRESSED.fullmatch(text[match.end():t.start])
                   for t in tokens if t.start >= match.end()):
                continue  # "email qa@x.com": the address is the channel, said already
            out.append((name, match.start(), match.span()))
    names = list(dict.fromkeys(name for name, _, _ in out))
    return [next(m for m in out if m[0] == name) for name in names]


def _unique(actions: Iterable[Action]) -> tuple[Action, ...]:
    seen: list[Action] = []
    for action in actions:
        if action not in seen:
            seen.append(action)
    return tuple(seen)
