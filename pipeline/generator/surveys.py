"""Survey tool CSV: purchase-intent, NPS and CSAT responses (UTF-8 with a BOM, naive
America/Chicago times), with a couple of QA test responses and rows cut short."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generator import ids
from pipeline.generator.clock import CHICAGO, JOURNEY_START_MIN, LAST_EVENT, offset_minutes
from pipeline.generator.frames import concat_parts, gather
from pipeline.generator.journey import Journey
from pipeline.generator.model import PREFERRED_CHANNELS, Model
from pipeline.generator.population import Chunk, People, email_variant

TEST_EMAIL = "test@example.com"
INTENT, NPS, CSAT = "Purchase intent", "NPS", "CSAT"
# Commas and quotes on purpose: the CSV must quote them.
INTENT_COMMENTS = ("", "", "Waiting for the cargo model to be back in stock.",
                   "Price is a bit high, \"maybe\" after my bonus.",
                   "Need to check with my partner, then decide.",
                   "Ready once I've done a test ride")
NPS_COMMENTS = ("", "", "Love it, my commute is 10 minutes shorter.",
                "Delivery was late, and the app, honestly, is buggy.",
                "Great bike; \"meh\" support.")
CSAT_COMMENTS = ("", "Setup was easy.", "The manual could be clearer.")


@dataclass
class SurveyRows:
    responses: pa.Table
    malformed: int
    test_responses: int
    emails: int  # distinct normalised respondent addresses (the shared test address aside)


def build(chunk: Chunk, people: People, j: Journey, model: Model) -> SurveyRows:
    rng = chunk.rng(9)
    s = model.surveys
    emails = email_variant(rng, people.contact_email, model.identity.email_variant_p)
    parts = []

    def add(person, kind, survey, at, score, intent, channel, comments):
        k = len(person)
        parts.append(dict(
            serial=people.gidx[person] * 4 + kind, survey=np.full(k, survey, object),
            email=np.asarray(gather(emails, person).to_pylist(), dtype=object), at=at,
            score=score.astype(np.int64), intent=intent.astype(np.int64),
            channel=channel.astype(np.int64),
            comment=np.asarray(comments, dtype=object)[rng.integers(0, len(comments), k)],
            fields=np.full(k, -1, np.int64)))

    p = np.flatnonzero(j.intent_at >= 0)
    add(p, 0, INTENT, j.intent_at[p], j.intent[p], j.intent[p], j.preferred_channel[p],
        INTENT_COMMENTS)
    p = np.flatnonzero(j.nps_at >= 0)
    add(p, 1, NPS, j.nps_at[p], j.nps_score[p], np.full(len(p), -1), np.full(len(p), -1),
        NPS_COMMENTS)
    p = np.flatnonzero(j.csat_at >= 0)
    add(p, 2, CSAT, j.csat_at[p], j.csat_score[p], np.full(len(p), -1), np.full(len(p), -1),
        CSAT_COMMENTS)
    cols = concat_parts(parts)
    real = len(cols["at"])
    distinct = pc.count_distinct(pc.utf8_lower(pc.utf8_trim_whitespace(
        pa.array(cols["email"], type=pa.string())))).as_py()

    # QA test submissions (valid rows) and rows that lost their trailing columns (invalid).
    t = s.test_responses_per_file
    bad = model.quirks.survey_short_rows_per_file
    src = rng.choice(real, min(real, bad), replace=False) if real else np.array([], np.int64)
    extra_n = t + len(src)
    span = LAST_EVENT - JOURNEY_START_MIN
    test_at = JOURNEY_START_MIN + (rng.random(t) * span).astype(np.int64)
    extra = dict(
        serial=-(1 + ids.chunk_serial(chunk.index, np.arange(extra_n))),
        survey=np.asarray([NPS] * t + list(cols["survey"][src]), dtype=object),
        email=np.asarray([TEST_EMAIL] * t + list(cols["email"][src]), dtype=object),
        at=np.concatenate([test_at, cols["at"][src] + 1000]),
        score=np.concatenate([np.full(t, 10), cols["score"][src]]),
        intent=np.concatenate([np.full(t, -1), cols["intent"][src]]),
        channel=np.concatenate([np.full(t, -1), cols["channel"][src]]),
        comment=np.asarray(["test, please ignore"] * t + [""] * len(src), dtype=object),
        fields=np.concatenate([np.full(t, -1), np.full(len(src), 3)]),
    )
    cols = concat_parts([cols, extra])
    order = np.lexsort((cols["serial"], cols["at"]))
    cols = {k: v[order] for k, v in cols.items()}
    # 11 base-62 digits hold 64 bits; four more from a second mix make Qualtrics' 15.
    serial = cols["serial"]
    rid = ids.strings("R_", ids.base62_matrix(ids.keyed(chunk.seed, ids.RESPONSE, serial), 11),
                      ids.base62_matrix(ids.keyed(chunk.seed, ids.RESPONSE_B, serial), 4))
    labels = np.asarray(PREFERRED_CHANNELS + ("",), dtype=object)
    table = pa.table({
        "response_id": rid,
        "survey": pa.array(cols["survey"], type=pa.string()),
        "email": pa.array(cols["email"], type=pa.string()),
        "at": cols["at"], "off": offset_minutes(CHICAGO, cols["at"]),
        "score": cols["score"],
        "comment": pa.array(cols["comment"], type=pa.string()),
        "intent": pa.array(cols["intent"], mask=cols["intent"] < 0),
        "channel": pa.array(labels[cols["channel"]], type=pa.string()),
        "_fields": pa.array(cols["fields"], mask=cols["fields"] < 0),
    })
    return SurveyRows(table, malformed=len(src), test_responses=t, emails=distinct)
