"""Fact coverage: every fact of the article is in the graph, in the named graph of the source that reports it,
and every asserted triple sits in a named graph that has a source.

Each row of FACTS is one fact of the article (or of the background), checked by a SPARQL ASK against the
asserted data, without reasoning. ``in_graph`` wraps a pattern in the GRAPH clause of the graph that must hold it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import GRAPH, ID, PROVENANCE_GRAPH, ROOT, SK, ask, asserted, graph_files, load, quiet
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import PROV, SKOS

ARTICLE_TEXT = ROOT.parent / "shared" / "source" / "csto-summit-astana-2024-11-28.txt"


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """rdflib 7.6 warns about its own deprecated Dataset internals on every quad; keep the output readable."""
    with quiet():
        yield


ARTICLE = "astana-2024-11-28-article"
REPORTEDLY = "astana-2024-11-28-article-reportedly"
TASS = "astana-2024-11-28-tass"
MFA = "astana-2024-11-28-kazakhstan-mfa"
TAJIK = "astana-2024-11-28-tajik-president-website"
BACKGROUND_CSTO = "background-csto"
BACKGROUND_WIKIDATA = "background-wikidata"
PROVENANCE = "provenance"
SESSION = "id:csto-csc-2024-11-28"


def in_graph(graph: str, pattern: str) -> str:
    return f"ASK {{ GRAPH graph:{graph} {{ {pattern} }} }}"


HEADS = [
    ("vladimir-putin", "russia", "president-of-russia"),
    ("kassym-jomart-tokayev", "kazakhstan", "president-of-kazakhstan"),
    ("alexander-lukashenko", "belarus", "president-of-belarus"),
    ("sadyr-japarov", "kyrgyzstan", "president-of-kyrgyzstan"),
    ("emomali-rahmon", "tajikistan", "president-of-tajikistan"),
]
SIGNATORIES = " , ".join(f"id:{person}" for person, _, _ in HEADS)


def participation(person: str, role: str, represents: str, post: str) -> str:
    return (
        f"?p a sk:Participation ; sk:inMeeting {SESSION} ; sk:participant id:{person} ; "
        f"sk:participantRole id:{role} ; sk:represents id:{represents} ; sk:inCapacityOf id:{post} ."
    )


def tenure(person: str, post: str) -> str:
    return f"?t a sk:Tenure ; sk:holder id:{person} ; sk:post id:{post} ; sk:during/time:inside id:date-2024-11-28 ."


def statement(speaker: str, about: str, words: str) -> str:
    """A statement by ``speaker`` at the session about ``about`` whose summary mentions ``words``."""
    return (
        f"?s a sk:Statement ; sk:speaker id:{speaker} ; sk:statedAt {SESSION} ; sk:about {about} ; "
        f'sk:summary ?text . FILTER(REGEX(?text, "{words}", "i"))'
    )


def topic(words: str) -> str:
    return f'{SESSION} sk:agendaItem ?t . ?t a sk:AgendaTopic ; rdfs:label ?l . FILTER(REGEX(?l, "{words}", "i"))'


FACTS: list[tuple[str, str]] = [
    # -- The session --
    ("a session of the CSTO Collective Security Council took place",
     in_graph(ARTICLE, f"{SESSION} a sk:Session ; sk:sessionOf id:csto-collective-security-council ; rdfs:label ?l .")),
    ("the Collective Security Council is an organ of the CSTO, an international organization",
     in_graph(ARTICLE, "id:csto-collective-security-council a sk:Organ ; org:unitOf id:csto . "
                       "id:csto a sk:InternationalOrganization ; skos:altLabel 'CSTO'@en .")),
    ("it took place in Astana, a city",
     in_graph(ARTICLE, f"{SESSION} schema:location id:astana . id:astana a schema:City .")),
    ("Astana is Kazakhstan's capital", in_graph(ARTICLE, "id:kazakhstan a sk:State ; sk:hasCapital id:astana .")),
    ("it took place on 28 November (2024), and the date says the year comes from context",
     in_graph(ARTICLE, f'{SESSION} schema:startDate "2024-11-28"^^xsd:date ; sk:dateNote ?n . '
                       'FILTER(CONTAINS(?n, "28 November") && CONTAINS(LCASE(?n), "context"))')),
    # -- Who reportedly took part --
    *[
        (f"{person} reportedly took part as head of state of {state}, as {post}",
         in_graph(REPORTEDLY, participation(person, "role-head-of-state", state, post)))
        for person, state, post in HEADS
    ],
    ("Tasmagambetov reportedly took part as head of the CSTO, as its Secretary General",
     in_graph(REPORTEDLY, participation("imangali-tasmagambetov", "role-head-of-organization", "csto",
                                        "csto-secretary-general"))),
    # -- The posts they held --
    *[
        (f"{person} was {post}, the head-of-state post of {state}",
         in_graph(ARTICLE, f"{tenure(person, post)} id:{post} a sk:HeadOfStatePost ; sk:headPostIn id:{state} . "
                           f"id:{person} a foaf:Person . id:{state} a sk:State ."))
        for person, state, post in HEADS
    ],
    ("Tasmagambetov was Secretary General of the CSTO",
     in_graph(ARTICLE, tenure("imangali-tasmagambetov", "csto-secretary-general")
              + " id:csto-secretary-general a sk:SecretaryGeneralPost ; sk:headPostIn id:csto .")),
    # -- Who was invited (Kazakhstan's Foreign Ministry) --
    ("Sergey Lebedev, CIS Secretary-General, was invited as a guest (Foreign Ministry)",
     in_graph(MFA, f"?i a sk:Invitation ; sk:invitationTo {SESSION} ; sk:invitedAgent id:sergey-lebedev ; "
                   "sk:participantRole id:role-invited-guest ; sk:represents id:cis ; "
                   "sk:inCapacityOf id:cis-secretary-general .")),
    ("Zhang Ming, SCO Secretary-General, was invited as a guest (Foreign Ministry)",
     in_graph(MFA, f"?i a sk:Invitation ; sk:invitationTo {SESSION} ; sk:invitedAgent id:zhang-ming ; "
                   "sk:participantRole id:role-invited-guest ; sk:represents id:sco ; "
                   "sk:inCapacityOf id:sco-secretary-general .")),
    ("Lebedev was Secretary-General of the CIS", in_graph(MFA, tenure("sergey-lebedev", "cis-secretary-general")
                                                          + " id:cis-secretary-general sk:headPostIn id:cis .")),
    ("Zhang Ming was Secretary-General of the SCO", in_graph(MFA, tenure("zhang-ming", "sco-secretary-general")
                                                             + " id:sco-secretary-general sk:headPostIn id:sco .")),
    ("the CIS and the SCO are international organizations",
     in_graph(MFA, "id:cis a sk:InternationalOrganization ; rdfs:label 'Commonwealth of Independent States'@en . "
                   "id:sco a sk:InternationalOrganization ; rdfs:label 'Shanghai Cooperation Organization'@en .")),
    # -- What the session reportedly focused on --
    ("it reportedly focused on the military-political situation in the world and the collective security zones",
     in_graph(REPORTEDLY, topic("military-political situation.*collective security zones"))),
    ("it reportedly focused on strengthening cooperation within the organization",
     in_graph(REPORTEDLY, topic("strengthening cooperation within"))),
    ("it reportedly focused on prospects for developing the collective security system",
     in_graph(REPORTEDLY, topic("prospects.*collective security system"))),
    ("it reportedly focused on preparing the joint celebration of 80 years since Victory (1941-1945)",
     in_graph(REPORTEDLY, topic("80 years since Victory.*1941-1945"))),
    # -- What the heads of state exchanged views on --
    ("the heads of state exchanged views on strengthening and expanding cooperation in the CSTO",
     in_graph(ARTICLE, topic("deepen and widen cooperation"))),
    ("they exchanged views on relations with other regional and global organizations",
     in_graph(ARTICLE, topic("other regional and global organizations"))),
    ("they exchanged views on the organization's Action Plan for 2025, a plan",
     in_graph(ARTICLE, topic("Action Plan for 2025") + " ?t sk:concerns id:csto-action-plan-2025 . "
                       "id:csto-action-plan-2025 a sk:Plan .")),
    # -- Tokayev, as TASS reports --
    ("Tokayev said the programme's development was completed during Kazakhstan's chairmanship (TASS)",
     in_graph(TASS, statement("kassym-jomart-tokayev", "id:csto-chairmanship-kazakhstan-2024", "finished")
              + " ?s sk:about id:csto-tajik-afghan-border-programme .")),
    ("Tokayev said the programme had been under development since 2013 (TASS)",
     in_graph(TASS, statement("kassym-jomart-tokayev", "id:csto-tajik-afghan-border-programme", "since 2013"))),
    ("Tokayev said the decision to be signed that day is about reinforcing the organization's southern borders (TASS)",
     in_graph(TASS, statement("kassym-jomart-tokayev",
                              "id:csto-csc-2024-11-28-resolution-tajik-afghan-border-programme", "southern"))),
    ("Kazakhstan chaired the CSTO (TASS: 'during Kazakhstan's presidency')",
     in_graph(TASS, "id:csto-chairmanship-kazakhstan-2024 a sk:Chairmanship ; sk:chair id:kazakhstan ; "
                    "sk:chairOf id:csto .")),
    ("the programme's development began in 2013 (TASS)",
     in_graph(TASS, 'id:csto-tajik-afghan-border-programme sk:developmentBegan "2013"^^xsd:gYear .')),
    ("the programme is about the Tajik-Afghan border (TASS)",
     in_graph(TASS, "id:csto-tajik-afghan-border-programme a sk:Programme ; sk:subject id:tajik-afghan-border .")),
    ("Tokayev's wording of the programme's name is kept as a further name (TASS)",
     in_graph(TASS, "id:csto-tajik-afghan-border-programme skos:altLabel "
                    "'CSTO targeted interstate program for reinforcing the Tajik-Afghan border'@en .")),
    # -- The resolution, reportedly signed --
    ("the heads of state reportedly signed, at the session, a resolution endorsing the programme",
     in_graph(REPORTEDLY, f"id:csto-csc-2024-11-28-resolution-tajik-afghan-border-programme a sk:Resolution ; "
                          f"sk:signedAt {SESSION} ; sk:signatory {SIGNATORIES} ; "
                          "sk:endorses id:csto-tajik-afghan-border-programme .")),
    ("the programme is named 'CSTO Targeted Program on Strengthening the Tajik-Afghan Border'",
     in_graph(REPORTEDLY, "id:csto-tajik-afghan-border-programme skos:prefLabel "
                          "'CSTO Targeted Program on Strengthening the Tajik-Afghan Border'@en .")),
    ("the programme is also named 'CSTO Interstate Targeted Program on Strengthening the Tajik-Afghan Border' "
     "(reportedly, no source named)",
     in_graph(REPORTEDLY, "id:csto-tajik-afghan-border-programme skos:altLabel "
                          "'CSTO Interstate Targeted Program on Strengthening the Tajik-Afghan Border'@en .")),
    ("the decision approves the programme (reportedly, no source named)",
     in_graph(REPORTEDLY, "id:csto-csc-2024-11-28-resolution-tajik-afghan-border-programme "
                          "sk:approves id:csto-tajik-afghan-border-programme .")),
    # -- Rahmon, as the Tajik president's website reports --
    ("Rahmon drew attention to the harm the worsening military-political situation does to member states",
     in_graph(TAJIK, statement("emomali-rahmon", "id:csto", "worsening military and political situation")
              + " ?s sk:topic id:csto-csc-2024-11-28-topic-military-political-situation .")),
    ("Rahmon said the agenda reflects current reality and Tajikistan favours taking decisions on it",
     in_graph(TAJIK, statement("emomali-rahmon", SESSION, "agenda.*realities.*decisions"))),
    ("Rahmon reportedly gave thanks for the support for approving the programme (no source named)",
     in_graph(REPORTEDLY, statement("emomali-rahmon", "id:csto-tajik-afghan-border-programme", "thanks"))),
    ("Rahmon wished Kyrgyzstan's coming chairmanship success",
     in_graph(TAJIK, statement("emomali-rahmon", "id:csto-chairmanship-kyrgyzstan-2025", "success"))),
    ("Rahmon said Tajikistan is ready for fruitful joint work with its neighbour",
     in_graph(TAJIK, statement("emomali-rahmon", "id:kyrgyzstan", "ready to work"))),
    ("Rahmon said Tajikistan will help carry out the plans of the chairmanship",
     in_graph(TAJIK, statement("emomali-rahmon", "id:csto-chairmanship-kyrgyzstan-2025", "plans"))),
    ("Kyrgyzstan is to chair the CSTO next (Tajik website)",
     in_graph(TAJIK, "id:csto-chairmanship-kyrgyzstan-2025 a sk:Chairmanship ; sk:chair id:kyrgyzstan ; "
                     "sk:chairOf id:csto .")),
    ("Kyrgyzstan's chairmanship follows Kazakhstan's (Tajik website: the 'future' chairmanship)",
     in_graph(TAJIK, "id:csto-chairmanship-kazakhstan-2024 sk:nextChairmanship "
                     "id:csto-chairmanship-kyrgyzstan-2025 .")),
    ("Tajikistan and Kyrgyzstan are neighbours (Tajik website)",
     in_graph(TAJIK, "id:tajikistan sk:neighbourOf id:kyrgyzstan .")),
    # -- Documents signed --
    ("the heads of state signed 14 documents", in_graph(ARTICLE, f"{SESSION} sk:signedDocumentCount 14 .")),
    ("a declaration was among them, signed at the session",
     in_graph(ARTICLE, f"id:csto-csc-2024-11-28-declaration a sk:Declaration ; sk:signedAt {SESSION} .")),
    ("the declaration's signatories are the heads of state reported as attending (reportedly)",
     in_graph(REPORTEDLY, f"id:csto-csc-2024-11-28-declaration sk:signatory {SIGNATORIES} .")),
    ("the declaration commits them to developing the CSTO further",
     in_graph(ARTICLE, 'id:csto-csc-2024-11-28-declaration sk:declares ?d . FILTER(REGEX(?d, "developing the CSTO"))')),
    ("the declaration states the intention to continue interaction between member states",
     in_graph(ARTICLE, 'id:csto-csc-2024-11-28-declaration sk:declares ?d . FILTER(REGEX(?d, "member states"))')),
    # -- The Tajik-Afghan border --
    ("the Tajik-Afghan border lies between Tajikistan and Afghanistan, which border each other",
     in_graph(ARTICLE, "id:tajik-afghan-border a sk:Border ; sk:borderBetween id:tajikistan , id:afghanistan . "
                       "id:tajikistan sk:borders id:afghanistan . id:afghanistan a sk:State .")),
    # -- The article and its sources --
    ("the article reports the session and cites TASS, Kazakhstan's Foreign Ministry and the Tajik president's website",
     in_graph(PROVENANCE, f"id:article-csto-astana-2024-11-28 a schema:NewsArticle ; dcterms:subject {SESSION} ; "
                          "dcterms:references id:tass , id:kazakhstan-ministry-of-foreign-affairs , "
                          "id:tajik-president-website .")),
    ("the background graphs are each attributed to one source: the CSTO's website, and Wikidata",
     in_graph(PROVENANCE, "graph:background-csto a sk:FactGraph ; prov:wasAttributedTo id:csto-official-website ; "
                          "sk:hedged false . graph:background-wikidata a sk:FactGraph ; "
                          "prov:wasAttributedTo id:wikidata ; sk:hedged false .")),
    ("Kazakhstan's Foreign Ministry is an institution of Kazakhstan",
     in_graph(PROVENANCE, "id:kazakhstan-ministry-of-foreign-affairs a schema:GovernmentOrganization ; "
                          "sk:institutionOf id:kazakhstan .")),
    # -- Background from the CSTO's website, with its own source --
    *[
        (f"{state} is a member state of the CSTO (background, CSTO website)",
         in_graph(BACKGROUND_CSTO, f"?m a org:Membership ; org:member id:{state} ; org:organization id:csto ; "
                                   "org:role id:role-member-state ."))
        for state in ("armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia", "tajikistan")
    ],
    ("the Collective Security Council is made up of the member states' heads of state (background, CSTO website)",
     f"ASK {{ GRAPH graph:{BACKGROUND_CSTO} {{ id:csto-collective-security-council sk:composedOf "
     "id:role-head-of-member-state } id:role-head-of-member-state a org:Role . }"),
    ("Kazakhstan chaired the CSTO in 2024 and Kyrgyzstan in 2025 (background, CSTO website)",
     in_graph(BACKGROUND_CSTO, 'id:csto-chairmanship-kazakhstan-2024 sk:chairYear "2024"^^xsd:gYear . '
                               'id:csto-chairmanship-kyrgyzstan-2025 sk:chairYear "2025"^^xsd:gYear .')),
    # -- Background from Wikidata, with its own source --
    ("Astana is in Kazakhstan (background, Wikidata)",
     in_graph(BACKGROUND_WIKIDATA, "id:astana schema:containedInPlace id:kazakhstan .")),
    ("Armenia is a state with Yerevan as its capital (background, Wikidata)",
     in_graph(BACKGROUND_WIKIDATA, "id:armenia a sk:State ; sk:hasCapital id:yerevan .")),
    ("Tajikistan borders Kyrgyzstan (background, Wikidata)",
     in_graph(BACKGROUND_WIKIDATA, "id:tajikistan sk:borders id:kyrgyzstan .")),
    ("TASS is described as Russia's state news agency (background, Wikidata)",
     in_graph(BACKGROUND_WIKIDATA, "id:tass rdfs:comment ?c .")),
    ("the checked Wikidata items are linked with skos:exactMatch (background, Wikidata)",
     in_graph(BACKGROUND_WIKIDATA, "id:csto skos:exactMatch wd:Q318693 . id:vladimir-putin skos:exactMatch wd:Q7747 . "
                                   "id:astana skos:exactMatch wd:Q1520 . id:tass skos:exactMatch wd:Q223799 .")),
]  # fmt: skip

ABSENT: list[tuple[str, str]] = [
    ("the article names no publisher", "ASK { id:article-csto-astana-2024-11-28 schema:publisher ?x }"),
    ("the article gives no publication date", "ASK { id:article-csto-astana-2024-11-28 schema:datePublished ?x }"),
    ("Lebedev and Zhang Ming are not linked to Wikidata (not verified)",
     "ASK { VALUES ?p { id:sergey-lebedev id:zhang-ming } ?p skos:exactMatch ?x }"),
    ("the invited are not reported to have taken part",
     "ASK { ?p sk:participant ?who . VALUES ?who { id:sergey-lebedev id:zhang-ming } }"),
    ("Armenia is not reported as represented", "ASK { ?p sk:represents id:armenia }"),
    ("attendance is never stated plainly, only as reportedly",
     f"ASK {{ GRAPH ?g {{ ?p sk:inMeeting {SESSION} }} ?g sk:hedged false }}"),
    ("who signed is never stated plainly, only as reportedly",
     "ASK { GRAPH ?g { ?d sk:signatory ?who } ?g sk:hedged false }"),
    ("the chairmanships' labels give no year (the sources give none; sk:chairYear is background)",
     'ASK { ?c a sk:Chairmanship ; rdfs:label ?l . FILTER(REGEX(?l, "[0-9]{4}")) }'),
    ("chairmanship succession is not background: it sits with the source that reports it",
     "ASK { GRAPH ?g { ?c sk:nextChairmanship ?n } FILTER(STRSTARTS(STR(?g), STR(graph:background))) }"),
    ("the council's composition is not a participant role",
     "ASK { ?organ sk:composedOf ?role . ?role a sk:ParticipantRole }"),
    ("no membership carries an unsourced note (Armenia's 'frozen participation' has no citable source)",
     "ASK { ?m a org:Membership ; rdfs:comment ?note }"),
    ("no named graph is attributed to two sources",
     "ASK { GRAPH graph:provenance { ?g a sk:FactGraph ; prov:wasAttributedTo ?a , ?b . FILTER(?a != ?b) } }"),
]  # fmt: skip


@pytest.mark.parametrize(("fact", "query"), FACTS, ids=[f for f, _ in FACTS])
def test_fact_is_in_its_graph(fact: str, query: str) -> None:
    assert ask(asserted(), query), f"missing, or not in the graph of its source: {fact}\n{query}"


@pytest.mark.parametrize(("fact", "query"), ABSENT, ids=[f for f, _ in ABSENT])
def test_what_is_not_stated_is_absent(fact: str, query: str) -> None:
    assert not ask(asserted(), query), fact


def test_fact_table_covers_the_article() -> None:
    assert len(FACTS) >= 40


# -- Every triple has a source ---------------------------------------------------------------------------------


def test_every_triple_sits_in_a_described_graph_with_a_source() -> None:
    data = load(graph_files(), ontology=False)
    provenance = data.graph(PROVENANCE_GRAPH)
    names = {c.identifier for c in data.graphs() if len(c) > 0}
    default = [t for t in data.quads((None, None, None, None)) if not isinstance(t[3], URIRef) or
               t[3] == URIRef("urn:x-rdflib:default")]  # fmt: skip
    assert not default, f"{len(default)} triples outside any named graph, e.g. {default[:1]}"
    for name in sorted(names):
        assert (name, RDF.type, SK.FactGraph) in provenance, f"{name} is not described in graph:provenance"
        sources = list(provenance.objects(name, PROV.wasAttributedTo))
        assert sources, f"{name} has no prov:wasAttributedTo"
        assert provenance.value(name, SK.hedged) is not None, f"{name} does not say whether it is hedged"


def test_descriptions_name_existing_graphs_and_the_article() -> None:
    data = load(graph_files(), ontology=False)
    names = {c.identifier for c in data.graphs() if len(c) > 0}
    described = set(data.graph(PROVENANCE_GRAPH).subjects(RDF.type, SK.FactGraph))
    assert described == names
    article = ID["article-csto-astana-2024-11-28"]
    for name in described - {GRAPH[BACKGROUND_CSTO], GRAPH[BACKGROUND_WIKIDATA], PROVENANCE_GRAPH}:
        assert (name, PROV.wasDerivedFrom, article) in data.graph(PROVENANCE_GRAPH)


def test_hedged_graphs_are_the_reportedly_ones() -> None:
    provenance = asserted().graph(PROVENANCE_GRAPH)
    hedged = {str(g) for g in provenance.subjects(SK.hedged, Literal(True))}
    assert hedged == {str(GRAPH[REPORTEDLY])}


# -- Shape of the data -----------------------------------------------------------------------------------------


def test_no_blank_nodes_in_graph_data() -> None:
    for path in graph_files():
        data = load([path], ontology=False)
        blank = [q for q in data.quads((None, None, None, None)) if any(isinstance(t, BNode) for t in q)]
        assert not blank, f"{path.name}: blank nodes make IRIs unstable; give every node an IRI: {blank[:2]}"


SLUG = re.compile(r"^https://w3id\.org/summitkg/(id|graph)/[a-z0-9]+(-[a-z0-9]+)*$")


def test_minted_iris_are_readable_slugs() -> None:
    subjects = {s for s, _, _, _ in asserted().quads((None, None, None, None)) if str(s).startswith(str(ID))}
    subjects |= {c.identifier for c in asserted().graphs() if str(c.identifier).startswith(str(GRAPH))}
    bad = sorted(str(s) for s in subjects if not SLUG.match(str(s)))
    assert not bad, f"not a lowercase hyphenated slug: {bad}"


def test_every_minted_resource_has_a_label() -> None:
    """People see these resources in results and pages: each needs an rdfs:label (or skos:prefLabel)."""
    data = asserted()
    minted = {s for s, _, _, _ in data.quads((None, None, None, None)) if str(s).startswith(str(ID))}
    unlabelled = sorted(
        str(s) for s in minted if (s, RDFS.label, None) not in data and (s, SKOS.prefLabel, None) not in data
    )
    assert not unlabelled, f"no rdfs:label: {unlabelled}"


def test_summaries_are_short() -> None:
    """Summaries and declared points are short, in English, in the project's own words."""
    for prop in (SK.summary, SK.declares):
        for _, _, text, _ in asserted().quads((None, prop, None, None)):
            assert isinstance(text, Literal) and text.language == "en", f"{text!r} needs @en"
            assert len(text) <= 300, f"summary longer than 300 characters: {text[:60]}..."
            assert "\n" not in text, f"summary spans lines; write it on one line: {text[:60]}..."


# -- Not copied from the article -------------------------------------------------------------------------------

RUN = 8  # words in a row shared with the article that count as copying


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def copied_runs(source: str, text: str, n: int = RUN) -> set[str]:
    """Runs of ``n`` or more words that ``text`` shares with ``source``, as their first ``n`` words."""
    grams = {tuple(w[i : i + n]) for w in [_words(source)] for i in range(len(w) - n + 1)}
    words = _words(text)
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1) if tuple(words[i : i + n]) in grams}


def test_copied_runs_finds_a_copy_and_spares_a_paraphrase() -> None:
    source = "The heads of state exchanged views on ways to strengthen and expand cooperation in the region."
    assert copied_runs(source, "They exchanged views on ways to strengthen and expand cooperation.")
    assert not copied_runs(source, "The leaders discussed how to deepen and widen their cooperation.")


def _own_words_literals() -> list[tuple[str, str]]:
    """Every literal of graph/ except names (skos:prefLabel, skos:altLabel): names are facts, kept verbatim."""
    names = (SKOS.prefLabel, SKOS.altLabel)
    return sorted(
        {(str(s), str(o)) for s, p, o, _ in asserted().quads((None, None, None, None))
         if isinstance(o, Literal) and p not in names and str(s).startswith(str(ID))}
    )  # fmt: skip


if ARTICLE_TEXT.exists():
    # The article is not part of the project (see ../shared/source/README.md); where it is present, check that
    # nothing was copied from it.

    def test_no_long_verbatim_runs_from_the_article() -> None:
        source = Path(ARTICLE_TEXT).read_text(encoding="utf-8")
        copies = [(s, run) for s, text in _own_words_literals() for run in copied_runs(source, text)]
        assert not copies, f"literals sharing {RUN}+ words in a row with the article: {copies}"


# The Wikidata items that were checked (DEVELOPERS.md); any other link, or a change to one of these, is a defect.
CHECKED_WIKIDATA = {
    "csto": "Q318693", "cis": "Q7779", "sco": "Q485207", "russia": "Q159", "kazakhstan": "Q232",
    "belarus": "Q184", "kyrgyzstan": "Q813", "tajikistan": "Q863", "afghanistan": "Q889", "armenia": "Q399",
    "astana": "Q1520", "vladimir-putin": "Q7747", "kassym-jomart-tokayev": "Q200881",
    "alexander-lukashenko": "Q2866", "sadyr-japarov": "Q25597826", "emomali-rahmon": "Q57366",
    "imangali-tasmagambetov": "Q1377525", "tass": "Q223799",
}  # fmt: skip


def test_wikidata_links_are_exactly_the_checked_items() -> None:
    links = {
        (str(s).removeprefix(str(ID)), str(o).removeprefix("http://www.wikidata.org/entity/"))
        for s, _p, o, _g in asserted().quads((None, SKOS.exactMatch, None, None))
        if str(o).startswith("http://www.wikidata.org/")
    }
    assert links == set(CHECKED_WIKIDATA.items())
    assert "zhang-ming" not in dict(links) and "sergey-lebedev" not in dict(links)
