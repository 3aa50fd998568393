"""The true people of one chunk and every identifier each of them owns.

Each person gets an id (`P0000001`), a unique email, a HubSpot vid (and an older vid for the
few whose duplicate contact is later merged), a Segment userId, one or two device anonymousIds
and a Zendesk user id. The identity traps (kiosk device, shared role addresses, duplicate
contacts) depend on who signs up, so they are planted after the journey is simulated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generator import ids, names
from pipeline.generator.clock import DAY, LAST_EVENT, ZONES
from pipeline.generator.model import Model

VID_BASE = 1_000_000
ZENDESK_USER_BASE = 360_000_000_000
ZONE_SHARE = (0.35, 0.20, 0.10, 0.25, 0.05, 0.05)


@dataclass
class Chunk:
    index: int
    first: int  # global index of the chunk's first person
    n: int
    seed: int

    def rng(self, stream: int) -> np.random.Generator:
        # One stream per module, so changing one module's draws leaves the others' bytes alone.
        return np.random.default_rng([self.seed, self.index, stream])

    @property
    def number(self) -> str:
        return f"{self.index + 1:05d}"


@dataclass
class People:
    n: int
    gidx: np.ndarray
    person_id: pa.Array
    persona: np.ndarray
    zone: np.ndarray
    web_leaning: np.ndarray  # engagement style: True = mostly web, False = mostly email
    first_name: pa.Array
    last_name: pa.Array
    email: pa.Array  # canonical: lower-case, trimmed, unique
    phone: pa.Array
    user_id: pa.Array
    anon: tuple[pa.Array, pa.Array]
    two_devices: np.ndarray
    device_ua: np.ndarray  # (n, 2) index into USER_AGENTS
    ip: pa.Array
    vid: np.ndarray
    old_vid: np.ndarray
    zendesk_user_id: np.ndarray
    # Planted by plant_identity_traps once sign-ups are known.
    kiosk: np.ndarray | None = None
    role_group: np.ndarray | None = None  # -1, or the local index of the group's first member
    role_email: pa.Array | None = None
    contact_email: pa.Array | None = None  # what HubSpot, SendGrid, Zendesk, surveys hold
    crm_email: pa.Array | None = None  # contact_email as HubSpot (and SendGrid, synced) wrote it
    duplicate_contact: np.ndarray | None = None
    duplicate_created_at: np.ndarray | None = None
    merged_at: np.ndarray | None = None
    zendesk_owner: np.ndarray | None = None  # local index whose Zendesk user this person uses


def concat(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def person_ids(gidx: np.ndarray, width: int) -> pa.Array:
    return ids.strings("P", ids.decimal_matrix(gidx + 1, width))


def make_people(chunk: Chunk, model: Model, id_width: int) -> People:
    rng = chunk.rng(1)
    n = chunk.n
    gidx = chunk.first + np.arange(n, dtype=np.int64)
    persona = rng.choice(3, n, p=model.funnel.persona_share).astype(np.int8)
    zone = rng.choice(len(ZONES), n, p=ZONE_SHARE).astype(np.int8)
    web_leaning = rng.random(n) < 0.5
    first = ids.take(list(names.FIRST_NAMES), rng.integers(0, len(names.FIRST_NAMES), n))
    last = ids.take(list(names.LAST_NAMES), rng.integers(0, len(names.LAST_NAMES), n))
    domain = ids.take(list(names.EMAIL_DOMAINS),
                      rng.choice(len(names.EMAIL_DOMAINS), n, p=names.EMAIL_DOMAIN_P))
    # The serial makes the address unique; the names make it look like one.
    serial = pa.array(gidx + 1000).cast(pa.string())
    email = concat(pc.utf8_lower(first), ".", pc.utf8_lower(last), ".", serial, "@", domain)
    has_phone = rng.random(n) < 0.6
    area = ids.take(list(names.AREA_CODES), rng.integers(0, len(names.AREA_CODES), n))
    line = pa.array(rng.integers(0, 100, n)).cast(pa.string())
    phone = concat("+1 ", area, "-555-01", pc.utf8_lpad(line, 2, "0"))
    phone = pc.if_else(pa.array(has_phone), phone, pa.nulls(n, pa.string()))
    user_hex = ids.hex_matrix(ids.keyed(chunk.seed, ids.USER, gidx))
    user_id = ids.strings("usr_", user_hex)
    anon_a = ids.uuid4(ids.keyed(chunk.seed, ids.ANON_A, gidx),
                       ids.keyed(chunk.seed, ids.ANON_A2, gidx))
    anon_b = ids.uuid4(ids.keyed(chunk.seed, ids.ANON_B, gidx),
                       ids.keyed(chunk.seed, ids.ANON_B2, gidx))
    two_devices = rng.random(n) < model.web.second_device_share
    device_ua = np.stack([rng.integers(0, 3, n), rng.integers(3, 6, n)], axis=1).astype(np.int8)
    ip_bits = ids.keyed(chunk.seed, ids.IP, gidx)
    octets = [pa.array(((ip_bits >> np.uint64(s)) & np.uint64(255)).astype(np.int64))
              .cast(pa.string()) for s in (8, 16, 24)]
    ip = concat(pa.array(rng.choice([24, 67, 73, 98, 104, 172], n)).cast(pa.string()), ".",
                octets[0], ".", octets[1], ".", octets[2])
    return People(
        n=n, gidx=gidx, person_id=person_ids(gidx, id_width), persona=persona, zone=zone,
        web_leaning=web_leaning, first_name=first, last_name=last, email=email, phone=phone,
        user_id=user_id, anon=(anon_a, anon_b), two_devices=two_devices, device_ua=device_ua,
        ip=ip, vid=VID_BASE + 2 * gidx + 1, old_vid=VID_BASE + 2 * gidx,
        zendesk_user_id=ZENDESK_USER_BASE + gidx,
    )


def kiosk_anonymous_id(seed: int) -> str:
    """The one in-store kiosk device every kiosk sign-up identifies on."""
    return ids.uuid4(ids.keyed(seed, ids.KIOSK, np.array([0])),
                     ids.keyed(seed, ids.KIOSK, np.array([1])))[0].as_py()


def plant_identity_traps(chunk: Chunk, people: People, signed: np.ndarray,
                         signup_at: np.ndarray, hubspot_at: np.ndarray, model: Model) -> None:
    rng = chunk.rng(2)
    n = people.n
    idm = model.identity
    signed_idx = np.flatnonzero(signed)

    # (a) Kiosk sign-ups: chunk 0 alone guarantees the shared device reaches its minimum.
    k = round(idm.kiosk_share_of_signups * len(signed_idx))
    if chunk.index == 0:
        k = max(k, idm.kiosk_min_persons)
    k = min(k, len(signed_idx))
    kiosk = np.zeros(n, dtype=bool)
    kiosk[np.sort(rng.choice(signed_idx, k, replace=False))] = True

    # (b) Small-business buyers sharing a role address, in groups of 2-4.
    eligible = np.flatnonzero(signed & ~kiosk)
    target = round(idm.role_address_share * n)
    if chunk.index == 0:
        target = max(target, idm.role_group_size[0])
    sizes = []
    while sum(sizes) < target:
        sizes.append(int(rng.integers(idm.role_group_size[0], idm.role_group_size[1] + 1)))
    members = rng.permutation(eligible)[: sum(sizes)] if sizes else np.array([], dtype=np.int64)
    role_group = np.full(n, -1, dtype=np.int64)
    pos = 0
    for size in sizes:  # a handful of groups per chunk, not rows
        group = np.sort(members[pos: pos + size])
        pos += size
        if len(group) >= 2:
            role_group[group] = group[0]
    leader = np.where(role_group >= 0, role_group, 0)
    word = ids.take(list(names.COMPANY_WORDS), people.gidx[leader] % len(names.COMPANY_WORDS))
    role_email = concat("info@", word, pa.array(people.gidx[leader]).cast(pa.string()), ".com")
    in_group = pa.array(role_group >= 0)
    people.role_email = pc.if_else(in_group, role_email, pa.nulls(n, pa.string()))
    people.contact_email = pc.if_else(in_group, role_email, people.email)
    people.zendesk_owner = np.where(role_group >= 0, role_group, np.arange(n))

    # Duplicate HubSpot contacts, merged into the newer record a few days later.
    dup = signed & (role_group < 0) & (rng.random(n) < idm.duplicate_contact_share_of_signups)
    created = hubspot_at + idm.duplicate_created.sample(rng, n)
    merged = created + idm.duplicate_merged.sample(rng, n)
    dup &= merged <= LAST_EVENT - DAY
    people.duplicate_contact = dup
    people.duplicate_created_at = np.where(dup, created, -1)
    people.merged_at = np.where(dup, merged, -1)
    people.kiosk = kiosk
    people.role_group = role_group
    people.crm_email = email_variant(rng, people.contact_email, idm.email_variant_p)


def email_variant(rng: np.random.Generator, emails: pa.Array, p: tuple[float, ...]) -> pa.Array:
    """The address as one source wrote it: as-is, Title Case, UPPER CASE or padded with spaces.
    lower(trim(variant)) always gives back the canonical address."""
    which = pa.array(rng.choice(4, len(emails), p=p).astype(np.int8))
    return pc.choose(which, emails, pc.utf8_title(emails), pc.utf8_upper(emails),
                     concat(" ", emails, " "))
