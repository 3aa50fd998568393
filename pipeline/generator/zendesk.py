"""Zendesk support exports: users, tickets, comments, ticket metrics and satisfaction ratings.

After a first order some customers ask a setup question. Agents answer, the ticket is solved
and a satisfaction survey is offered. A role-address group shares one requester, as Zendesk
keeps one user per email address. Times are ISO-8601 UTC; absent values are explicit nulls,
as the API writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generator import names
from pipeline.generator.clock import DAY, HOUR, LAST_EVENT, MINUTE, epoch_ms
from pipeline.generator.frames import expand, gather, nullify, where
from pipeline.generator.journey import Journey
from pipeline.generator.model import Model
from pipeline.generator.population import Chunk, People, email_variant

AGENT_BASE = 361_000_000_001
TICKET_BASE, COMMENT_BASE, METRIC_BASE, RATING_BASE = (
    200_000, 40_000_000_000, 30_000_000_000, 50_000_000_000)
AGENTS_CREATED = epoch_ms("2025-11-03T15:00:00Z")
SCRIPT = "<script>alert(1)</script>"
FIRST_QUESTIONS = (
    "Hi, my new {bike} arrived. How do I pair the display with the Cadence app?",
    "The {bike} battery shows 80% after a full night of charging. Is that normal?",
    "Which torque should I use for the {bike} stem bolts? The manual says \"snug\".",
    "My {bike} assist level resets to 1 every time I turn it on.",
)
# The agent's first reply answers the question asked (same index).
AGENT_REPLIES = (
    "Hi {first},\n\nThanks for reaching out! Open the app, go to Settings > Bike and hold the "
    "display button for 5 seconds.\n\n{agent}",
    "Hi {first},\n\nThat is expected for the first few cycles; the battery calibrates itself."
    "\n\n{agent}",
    "Hi {first},\n\n5 Nm for the stem bolts, tightened in a cross pattern.\n\n{agent}",
    "Hi {first},\n\nPlease update the app to 3.2; it remembers the last assist level.\n\n{agent}",
)
FURTHER_REPLIES = ("Glad it works now!\n\n{agent}",
                   "Let's try a reset: hold both buttons for 10 seconds.\n\n{agent}")
FOLLOW_UPS = ("That worked, thanks!", "Still the same after an update, any other idea?",
              "Thanks, all good now.")
RATING_COMMENTS_GOOD = ("Quick and helpful, thanks!", "Riley was great.")
RATING_COMMENTS_BAD = ("Took too long to get an answer.", "Didn't fix my problem.")


@dataclass
class ZendeskRows:
    users: pa.Table
    tickets: pa.Table
    comments: pa.Table
    metrics: pa.Table
    ratings: pa.Table
    truncated_tickets: int
    user_of_person: np.ndarray  # Zendesk user id per person, -1 when they have none


def build(chunk: Chunk, people: People, j: Journey, model: Model) -> ZendeskRows:
    rng = chunk.rng(8)
    sp = model.support
    t = np.flatnonzero(j.ticket_at >= 0)
    k = len(t)
    created = j.ticket_at[t]
    ticket_id = TICKET_BASE + people.gidx[t]
    requester = people.zendesk_user_id[people.zendesk_owner[t]]
    agent = rng.integers(0, len(names.AGENTS), k)
    bike_idx = people.persona[t].astype(np.int64) * 2 + j.bike_model[t]
    bikes = np.asarray([f"Cadence {b}" for pair in names.BIKE_MODELS for b in pair])[bike_idx]

    # Comments: requester first, then agent and requester in turn.
    count = rng.integers(sp.comments[0], sp.comments[1] + 1, k)
    owner, within = expand(count)
    gap = np.where(within == 0, 0, sp.comment_gap.sample(rng, len(owner)))
    elapsed = np.cumsum(gap)
    elapsed -= np.repeat(elapsed[np.cumsum(count) - count], count)
    c_at = created[owner] + elapsed
    keep = c_at <= LAST_EVENT
    by_agent = within % 2 == 1
    first_names = np.asarray(people.first_name.to_pylist(), dtype=object)[t]
    question = rng.integers(0, len(FIRST_QUESTIONS), k)
    further = rng.integers(0, len(FURTHER_REPLIES), len(owner))
    follow = rng.integers(0, len(FOLLOW_UPS), len(owner))
    agent_first = np.asarray([a[0].split()[0] for a in names.AGENTS], dtype=object)[agent]
    # Support volume is a few percent of customers, so formatting each comment is cheap.
    bodies = []
    for i, w in zip(owner.tolist(), within.tolist()):
        if w == 0:
            bodies.append(FIRST_QUESTIONS[question[i]].format(bike=bikes[i]))
        elif w % 2 == 0:
            bodies.append(FOLLOW_UPS[follow[len(bodies)]])
        else:
            text = AGENT_REPLIES[question[i]] if w == 1 else FURTHER_REPLIES[further[len(bodies)]]
            bodies.append(text.format(first=first_names[i], agent=agent_first[i]))
    body = np.asarray(bodies, dtype=object)
    # A few comments carry markup the reports must escape; chunk 0 always has one.
    script = (within == 0) & (rng.random(len(owner)) < sp.script_comment_share)
    if chunk.index == 0 and len(owner):
        script[0] = True
    body = np.where(script, body + " The app shows " + SCRIPT + " on the settings page.", body)
    comments = pa.table({
        "id": COMMENT_BASE + people.gidx[t][owner] * 8 + within,
        "ticket_id": ticket_id[owner],
        "author_id": np.where(by_agent, AGENT_BASE + agent[owner], requester[owner]),
        "public": np.ones(len(owner), bool),
        "body": pa.array(body, type=pa.string()),
        "created_at": c_at,
        "_truncate": np.zeros(len(owner), bool),
    }).filter(pa.array(keep))

    last_comment = np.zeros(k, np.int64)
    np.maximum.at(last_comment, owner[keep], c_at[keep])
    n_kept = np.bincount(owner[keep], minlength=k)
    first_reply = np.full(k, -1, np.int64)
    replied = keep & (within == 1)
    first_reply[owner[replied]] = c_at[replied]
    solved_at = last_comment + sp.solve_after_last_comment.sample(rng, k)
    solved = solved_at <= LAST_EVENT
    closed = solved & (solved_at + 4 * DAY <= LAST_EVENT)
    rated = solved & (rng.random(k) < sp.rated_share)
    rated_at = solved_at + (6 * HOUR * np.exp(0.8 * rng.standard_normal(k))).astype(np.int64)
    rated &= rated_at <= LAST_EVENT
    good = rng.random(k) < sp.good_share
    score = np.where(rated, np.where(good, "good", "bad"), np.where(solved, "offered", "unoffered"))
    with_comment = rated & (rng.random(k) < sp.rating_comment_share)
    pick = rng.integers(0, 2, k)
    rating_comment = np.where(with_comment, np.where(
        good, np.asarray(RATING_COMMENTS_GOOD, dtype=object)[pick],
        np.asarray(RATING_COMMENTS_BAD, dtype=object)[pick]), None)
    updated = np.maximum.reduce([last_comment, np.where(solved, solved_at, 0),
                                 np.where(rated, rated_at, 0),
                                 np.where(closed, solved_at + 4 * DAY, 0)])
    last_by_requester = (n_kept % 2) == 1
    status = np.where(closed, "closed", np.where(solved, "solved",
                                                 np.where(last_by_requester, "open", "pending")))
    tickets = pa.table({
        "id": ticket_id, "requester_id": requester,
        "assignee_id": pa.array(AGENT_BASE + agent, mask=~(n_kept >= 2)),
        "status": status,
        "priority": np.asarray(["normal", "low", "high"])[rng.choice(3, k, p=(.7, .2, .1))],
        "subject": pa.array(np.char.add("Question about setting up my ", bikes.astype(str))),
        "tags": pa.array([["setup", b.lower().replace(" ", "_")] for b in bikes],
                         type=pa.list_(pa.string())),
        "via_channel": np.where(rng.random(k) < 0.6, "web", "email"),
        "score": score, "rating_comment": pa.array(rating_comment, type=pa.string()),
        "created_at": created, "updated_at": updated,
        "_truncate": np.zeros(k, bool),
    })
    truncated = 0
    if k:
        # A line cut off mid-write: an extra, broken copy of one ticket.
        broken = tickets.slice(int(rng.integers(0, k)), 1)
        broken = broken.set_column(broken.schema.get_field_index("_truncate"), "_truncate",
                                   pa.array([True]))
        truncated = model.quirks.zendesk_truncated_tickets_per_file
        tickets = pa.concat_tables([tickets] + [broken] * truncated)
        order = np.lexsort((tickets["_truncate"].to_numpy(), tickets["id"].to_numpy(),
                            tickets["created_at"].to_numpy()))
        tickets = tickets.take(pa.array(order))
    metrics = pa.table({
        "id": METRIC_BASE + people.gidx[t], "ticket_id": ticket_id,
        "solved_at": pa.array(solved_at, mask=~solved),
        "reply_minutes": pa.array(np.maximum(first_reply - created, 0) // MINUTE,
                                  mask=first_reply < 0),
        "created_at": created, "updated_at": updated, "_truncate": np.zeros(k, bool),
    })
    rating_rows = np.flatnonzero(solved)
    rating_at = np.where(rated, rated_at, solved_at)
    ratings = pa.table({
        "id": RATING_BASE + people.gidx[t][rating_rows], "ticket_id": ticket_id[rating_rows],
        "requester_id": requester[rating_rows], "assignee_id": AGENT_BASE + agent[rating_rows],
        "score": score[rating_rows],
        "comment": pa.array(rating_comment[rating_rows], type=pa.string()),
        "created_at": rating_at[rating_rows], "updated_at": rating_at[rating_rows],
        "_truncate": np.zeros(len(rating_rows), bool),
    })
    users, user_of_person = _users(chunk, rng, people, t, created, model)
    return ZendeskRows(users, tickets, comments, metrics, ratings, truncated, user_of_person)


def _users(chunk, rng, people: People, t, created, model):
    """One end-user per requester (a role group's members share one), plus the agents once."""
    owner = people.zendesk_owner[t]
    first_ticket = np.full(people.n, np.iinfo(np.int64).max)
    np.minimum.at(first_ticket, owner, created)
    u = np.flatnonzero(first_ticket < np.iinfo(np.int64).max)
    role = people.role_group[u] >= 0
    emails = email_variant(rng, gather(people.contact_email, u), model.identity.email_variant_p)
    external = rng.random(len(u)) < model.identity.zendesk_external_id_share
    full_name = pc.binary_join_element_wise(gather(people.first_name, u),
                                            gather(people.last_name, u), " ")
    company = pc.utf8_capitalize(pc.replace_substring_regex(
        gather(people.role_email, u), r"^info@([a-z]+)\d+\.com$", r"\1"))
    at = first_ticket[u] - MINUTE
    users = {
        "id": people.zendesk_user_id[u], "email": emails,
        "name": where(role, company, full_name),
        "role": pa.array(np.full(len(u), "end-user")),
        "external_id": nullify(gather(people.user_id, u), role | ~external),
        "created_at": at, "updated_at": at,
    }
    if chunk.index == 0:
        a = len(names.AGENTS)
        agents = {
            "id": AGENT_BASE + np.arange(a), "email": pa.array([x[1] for x in names.AGENTS]),
            "name": pa.array([x[0] for x in names.AGENTS]), "role": pa.array(["agent"] * a),
            "external_id": pa.nulls(a, pa.string()),
            "created_at": np.full(a, AGENTS_CREATED), "updated_at": np.full(a, AGENTS_CREATED),
        }
        users = {k: (pa.concat_arrays([pa.array(agents[k]), pa.array(users[k])])
                     if isinstance(users[k], pa.Array) or isinstance(agents[k], pa.Array)
                     else np.concatenate([agents[k], users[k]])) for k in users}
    users = pa.table({k: (v if isinstance(v, pa.Array) else pa.array(v)) for k, v in users.items()})
    users = users.append_column("_truncate", pa.array(np.zeros(users.num_rows, bool)))
    user_of_person = np.full(people.n, -1, np.int64)
    user_of_person[t] = people.zendesk_user_id[owner]
    return users, user_of_person
