"""Extraction on sentences written for these tests: relations, actors, modality, dates.

Each case is (text, publication date, expected events as "SUBJ rel OBJ date").
Symmetric relations are written in canonical (sorted) order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.evaluate import evaluate
from kg.extract.pipeline import get_extractor
from kg.model import Article

PUB = dt.date(2024, 5, 16)  # a Thursday


def events(text: str, published: dt.date | None = PUB) -> set[str]:
    art = Article("t", text, published=published)
    return {f"{e.subject} {e.relation} {e.object} {e.date}" for e in get_extractor().extract(art)}


CASES = [
    # relations, several phrasings
    ("Norway recognized Palestine on Tuesday.", {"NOR recognize PSE 2024-05-14"}),
    ("Ireland, Norway and Spain recognized Palestine on Tuesday.",
     {"IRL recognize PSE 2024-05-14", "NOR recognize PSE 2024-05-14", "ESP recognize PSE 2024-05-14"}),
    ("Kosovo was recognized by Kenya in 2015.", {"KEN recognize XKX 2015"}),
    ("Chile and Indonesia established diplomatic relations on 3 March 1965.",
     {"CHL establish_relations IDN 1965-03-03"}),
    ("Honduras restored diplomatic ties with Sweden last month.", {"HND restore_relations SWE 2024-04"}),
    ("Nicaragua severed relations with the Netherlands on Monday.", {"NIC sever_relations NLD 2024-05-13"}),
    ("Mali recalled its ambassador from Algeria on Wednesday.", {"MLI recall_ambassador DZA 2024-05-15"}),
    ("Poland expelled three Russian diplomats on Friday.", {"POL expel_diplomats RUS 2024-05-10"}),
    ("The Philippines opened an embassy in Kenya in April.", {"PHL open_embassy KEN 2024-04"}),
    ("Canada closed its embassy in Iran in 2012.", {"CAN close_embassy IRN 2012"}),
    ("Japanese Prime Minister Fumio Kishida visited Mongolia on Monday.", {"JPN visit MNG 2024-05-13"}),
    ("Brazil's foreign minister met his Argentine counterpart on Wednesday.", {"ARG meet BRA 2024-05-15"}),
    ("Vietnam and Laos signed a border agreement on Monday.", {"LAO sign_agreement VNM 2024-05-13"}),
    ("Beijing condemned Manila on Wednesday.", {"CHN criticize PHL 2024-05-15"}),
    ("The Kremlin accused Ukraine of shelling Belgorod on Monday.", {"RUS accuse UKR 2024-05-13"}),
    ("Iran warned Israel on Tuesday.", {"IRN warn ISR 2024-05-14"}),
    ("The United States imposed sanctions on Venezuela on Wednesday.", {"USA sanction VEN 2024-05-15"}),
    ("Germany sent air defence equipment to Ukraine on Monday.", {"DEU provide_aid UKR 2024-05-13"}),
    ("Russia invaded Ukraine in February 2022.", {"RUS attack UKR 2022-02"}),
    ("Ghana congratulated Senegal on Monday.", {"GHA praise SEN 2024-05-13"}),
    ("Kenya and Uganda pledged to deepen cooperation on Monday.", {"KEN pledge_cooperation UGA 2024-05-13"}),
    ("Morocco and Spain exchanged letters on Monday.", {"ESP correspond MAR 2024-05-13"}),
    # actors: title + person later by surname; organisations are not states
    ("Kenyan President William Ruto arrived in Washington on Wednesday. Ruto met Biden on Thursday.",
     {"KEN visit USA 2024-05-15", "KEN meet USA 2024-05-16"}),
    ("The European Union imposed sanctions on Iran on Monday.", {"EU sanction IRN 2024-05-13"}),
    ("NATO warned Russia on Tuesday.", {"NATO warn RUS 2024-05-14"}),
    # modality: negated, planned, conditional, questions
    ("Brazil did not recognize the new government of Venezuela.", set()),
    ("Japan will open an embassy in Malawi next year.", set()),
    ("Spain could recall its ambassador from Argentina if the insults continue.", set()),
    ("Will Mexico sever ties with Ecuador?", set()),
    ("India denied sending weapons to Armenia.", set()),
    # evaluations in reported speech: the speaker criticizes or threatens, dated by the speech
    ('"This blockade is unacceptable," the Bolivian foreign minister said on Monday, after Chile closed the pass.',
     {"BOL criticize CHL 2024-05-13"}),
    ("Nepal's prime minister told reporters on Tuesday that India would pay a price for the embargo.",
     {"NPL warn IND 2024-05-14"}),
    ("Cuba and Venezuela maintained on Monday that the Guyanese decree violates international law.",
     {"CUB criticize GUY 2024-05-13", "VEN criticize GUY 2024-05-13"}),
    ("The consequences of the drought in Kenya were severe, a report said on Monday.", set()),
    ("Germany's chancellor said on Monday that the killing of civilians in Sudan was unacceptable.", set()),
    ('"China is a threat to the region," the Philippine defence secretary said on Monday.',
     {"PHL criticize CHN 2024-05-13"}),
    ('Iran\'s supreme leader said on Monday that Israel would face a "harsh response".', {"IRN warn ISR 2024-05-13"}),
    ('The US ambassador to the UN said on Monday that Russia\'s veto was "shameful".',
     {"USA criticize RUS 2024-05-13"}),
    ('"It would be unacceptable for Europe to remain divided," the French president said in Berlin.', set()),
    ("Seoul said on Monday that Pyongyang was responsible for the cyberattack.", {"KOR accuse PRK 2024-05-13"}),
    ('"For years Baku has pursued aggressive policies against our people," Armenia\'s foreign minister said on Monday.',
     {"ARM accuse AZE 2024-05-13"}),
    ("Ghana's president said on Monday that Kenya was responsible for organising the summit.", set()),
    ('"The violence in our cities is unacceptable," the Mexican president said on Monday, a day after '
     'meeting US officials.', {"MEX meet USA 2024-05-12"}),
    ('Iran struck targets in Pakistan on Tuesday. "This violation of our sovereignty is unacceptable," '
     'the Pakistani foreign ministry said.', {"IRN attack PAK 2024-05-14", "PAK criticize IRN 2024-05-14"}),
    ("France and Germany signed a trade deal on Monday. The French minister said the delays were unacceptable.",
     {"DEU sign_agreement FRA 2024-05-13"}),
    ("Illegal fishing by Chinese trawlers off Senegal rose sharply, a study found.", set()),
    ('"Peru is an unacceptable partner," a columnist wrote in a Chilean newspaper.', set()),
    # "X's ambassador to Y was recalled"; "his country": the state of the one acting
    ("Chile's ambassador to Peru was recalled on Monday.", {"CHL recall_ambassador PER 2024-05-13"}),
    ("Bolivia severed ties with Israel on Tuesday. A deputy minister, Freddy Mamani, told reporters that his "
     "country had acted in condemnation of Israel's military actions.",
     {"BOL sever_relations ISR 2024-05-14", "BOL criticize ISR 2024-05-14"}),
    # reciprocal acts, speakers who are not targets, acts that are only the topic of another
    ("India and Canada expelled each other's diplomats on Monday.",
     {"IND expel_diplomats CAN 2024-05-13", "CAN expel_diplomats IND 2024-05-13"}),
    ("North Korea fired two ballistic missiles into the sea on Thursday, South Korea's military said, "
     "drawing condemnation from Tokyo.", {"JPN criticize PRK 2024-05-16"}),
    ("The Chinese foreign ministry lodged stern representations with the United States on Friday over the "
     "sale of arms to Taiwan.", {"CHN criticize USA 2024-05-10"}),
    ("The Netherlands handed over two fighter jets to Ukraine on Monday.", {"NLD provide_aid UKR 2024-05-13"}),
    ("A visit by President Joe Biden to Hanoi took place on Sunday.", {"USA visit VNM 2024-05-12"}),
    ("Ireland and Norway recognised a Palestinian state on Tuesday, drawing an angry response from Israel.",
     {"IRL recognize PSE 2024-05-14", "NOR recognize PSE 2024-05-14", "ISR criticize IRL 2024-05-14",
      "ISR criticize NOR 2024-05-14"}),
    # titles inside a leader's name; "the Dominican Republic" is a name, not "the republic" just named
    ("In a phone call on Friday, Saudi Crown Prince Mohammed bin Salman and Iranian President Masoud "
     "Pezeshkian discussed the war.", {"IRN meet SAU 2024-05-10"}),
    ("Venezuela suspended all flights to and from Panama and the Dominican Republic on Wednesday.",
     {"VEN sanction PAN 2024-05-15", "VEN sanction DOM 2024-05-15"}),
    ("Britain and Mauritius reached a deal on Thursday over the Chagos Islands.",
     {"GBR sign_agreement MUS 2024-05-16"}),
    # what relations are about is not a party; a place in another scene is not the target
    ("Beijing downgraded relations over Taiwan on Monday.", set()),
    ("Bolivia cut diplomatic ties on Monday over Israel's treatment of Palestinians.",
     {"BOL sever_relations ISR 2024-05-13"}),
    ("Brazil criticized Israel's offensive in Gaza during a speech in Addis Ababa on Sunday.",
     {"BRA criticize ISR 2024-05-12"}),
    ("South Korea and Japan held their first high-level economic dialogue in eight years on Friday.",
     {"JPN meet KOR 2024-05-10"}),
    ("India banned imports of Malaysian palm oil in January 2020.", {"IND sanction MYS 2020-01"}),
    ("Australia lifted its sanctions on Fiji in 2014.", set()),
    ("Russia sent troops into Ukraine in February 2022.", {"RUS attack UKR 2022-02"}),
    ("A Russian drone hit a residential building in the Ukrainian city of Odesa on Monday.",
     {"RUS attack UKR 2024-05-13"}),
    ("Chinese coast guard ships rammed a Philippine supply boat on Saturday.", {"CHN attack PHL 2024-05-11"}),
    ("Syrian government forces bombarded rebel-held areas near the Turkish border on Monday.", set()),
    ("The economy was hit by Chinese tariffs.", set()),
    ("Rwanda sent troops to Mozambique in 2021 to fight insurgents.", {"RWA provide_aid MOZ 2021"}),
    ("Turkey sent a search and rescue team to Morocco on Sunday.", {"TUR provide_aid MAR 2024-05-12"}),
    ("Britain announced an asset freeze on three Iranian officials on Tuesday.", {"GBR sanction IRN 2024-05-14"}),
    ("China placed export controls on gallium shipments to the United States on Monday.",
     {"CHN sanction USA 2024-05-13"}),
    ("Germany approved the delivery of Leopard tanks to Ukraine on Wednesday.", {"DEU provide_aid UKR 2024-05-15"}),
    ("Argentina and Venezuela traded accusations on Monday.",
     {"ARG accuse VEN 2024-05-13", "VEN accuse ARG 2024-05-13"}),
    ("Iran vowed on Monday to retaliate against Israel for the strike on its consulate.", {"IRN warn ISR 2024-05-13"}),
    ("Turkey gave Sweden an ultimatum on Monday.", {"TUR warn SWE 2024-05-13"}),
    ('North Korea said on Monday it would respond with "overwhelming force" to any US provocation.',
     {"PRK warn USA 2024-05-13"}),
    ("India and Pakistan traded threats on Monday after the attack.",
     {"IND warn PAK 2024-05-13", "PAK warn IND 2024-05-13"}),
    ("Thai and Cambodian troops exchanged fire along the border on Thursday.",
     {"THA attack KHM 2024-05-16", "KHM attack THA 2024-05-16"}),
    # a summoned envoy: the host protests to the envoy's state; negation inside a noun-led trigger
    ("Russia's ambassador to Moldova was summoned to the foreign ministry in Chisinau on Monday.",
     {"MDA criticize RUS 2024-05-13"}),
    ("The Iranian ambassador was summoned by the British foreign office on Friday.", {"GBR criticize IRN 2024-05-10"}),
    ("Chile's ambassador to Peru was not recalled on Monday.", set()),
    # embassies closed in the passive, owned by "of"; "neither ... nor" negates
    ("The embassy of Norway in Kabul was closed in August 2021.", {"NOR close_embassy AFG 2021-08"}),
    ("Canada's embassy in Tehran was closed in 2012.", {"CAN close_embassy IRN 2012"}),
    ("Neither Russia nor China has recognized Kosovo.", set()),
    # a subordinate clause ends at its comma; failure and refusal negate; ";" parts dates
    ("A month after Hamas attacked Israel, Bolivia cut ties with Israel.",
     {"BOL sever_relations ISR 2024-05-16", "HAMAS attack ISR 2024-05-16"}),
    ("Uruguay's failure to beat Bolivia on Tuesday ended its hopes.", set()),
    ("Serbia refused to recognise Kosovo in 2008.", set()),
    ("In 1972, China and Japan normalized relations; six years later they signed a peace treaty.",
     {"CHN restore_relations JPN 1972", "CHN sign_agreement JPN 1978"}),
    ("Kenya opened an embassy in Seoul in the 1980s.", {"KEN open_embassy KOR None"}),
    # an attack's target follows on/against, or "in" close by; "the government of X" is X
    ("Iran said on Tuesday its attack was revenge for the Israeli assassination of a commander in Syria.", set()),
    ("Ethiopia's envoy thanked the government of Pakistan on Monday.", {"ETH praise PAK 2024-05-13"}),
    # a gerund has its own subject; "their" after a list is the list
    ("Israel recalled its ambassadors from Ireland and Norway on Wednesday in response to their governments "
     "deciding to recognise Palestine.",
     {"ISR recall_ambassador IRL 2024-05-15", "ISR recall_ambassador NOR 2024-05-15",
      "IRL recognize PSE 2024-05-15", "NOR recognize PSE 2024-05-15"}),
    # welcoming a person is receiving a guest; welcoming a decision is praise
    ("Poland's president welcomed Ukrainian President Volodymyr Zelensky to Warsaw on Wednesday.",
     {"POL meet UKR 2024-05-15"}),
    ("Poland welcomed the decision by Ukraine on Wednesday.", {"POL praise UKR 2024-05-15"}),
    # "the visiting X": the guest visits the host
    ("Egypt's president met the visiting Jordanian king in Cairo on Monday.",
     {"EGY meet JOR 2024-05-13", "JOR visit EGY 2024-05-13"}),
    ("The visiting delegation toured the factory.", set()),
    # two states severing ties: each with the other; "followed by" opens another clause
    ("Djibouti and Eritrea severed ties in 2008 after a border clash.",
     {"DJI sever_relations ERI 2008", "ERI sever_relations DJI 2008"}),
    ("Israel and the United Arab Emirates established diplomatic relations in August 2020, followed by Bahrain.",
     {"ARE establish_relations ISR 2020-08"}),
    ("The foreign ministers of Egypt and Jordan discussed the situation in Gaza by phone on Sunday.",
     {"EGY meet JOR 2024-05-12"}),
    # a clause opening with a prepositional phrase takes the main clause's subject
    ("An aide said that during the talks with Kenyan President William Ruto on Monday, "
     "Prime Minister Narendra Modi stressed the need for the world to recognise the threat of terrorism.",
     {"IND meet KEN 2024-05-13"}),
    # quoted letters: the author and addressee named where the letter is introduced
    ('The message sent by the Mongolian president to the Kazakh president on Monday reads:\n\n'
     '"Please accept my warm congratulations on your national day."',
     {"KAZ correspond MNG 2024-05-13", "MNG praise KAZ 2024-05-13"}),
    # predecessor states: Russia in 1948 was the Soviet Union
    ("Russia established diplomatic relations with North Korea on October 12, 1948.",
     {"PRK establish_relations SUN 1948-10-12"}),
    # an ultimatum is a threat made; a hostile act merely announced is neither done nor a threat
    ("The Gambia said on Monday it would sever relations with Senegal unless the border reopened.",
     {"GMB warn SEN 2024-05-13"}),
    ("Chad said on Tuesday that it would impose sanctions on Sudan if the raids went on.",
     {"TCD warn SDN 2024-05-14"}),
    ("Iran said it will expel two British diplomats.", set()),
    ("Nepal said it would not cut ties with Bhutan unless forced to.", set()),
    ("Chad said it would consider cutting ties with Sudan if the raids went on.", set()),
    # a headline's event takes the day the story gives it
    ("Fiji, Kosovo establish diplomatic ties\n\nSUVA (AFP) - Fiji and Kosovo have established diplomatic "
     "relations, officials said. Fiji and Kosovo signed a joint communique establishing relations "
     "on April 2 in New York.",
     {"FJI establish_relations XKX 2024-04-02", "FJI sign_agreement XKX 2024-04-02"}),
    # the day inside a relative clause is that clause's
    ("Kenyan President William Ruto, who arrived in Tokyo on Monday for a four-day visit, held talks with "
     "Japanese Prime Minister Fumio Kishida on Wednesday.", {"KEN visit JPN 2024-05-13", "JPN meet KEN 2024-05-15"}),
    # a group named back ("the three states") acts as one party with the state beside it
    ("Mali, Niger and Burkina Faso left the regional bloc in January. "
     "The three states and Russia signed a defence pact on Monday.",
     {"BFA sign_agreement RUS 2024-05-13", "MLI sign_agreement RUS 2024-05-13", "NER sign_agreement RUS 2024-05-13"}),
    ("The Indian prime minister gave the Argentine president a warm welcome in New Delhi on Monday.",
     {"ARG meet IND 2024-05-13"}),
    # "relations with X were cut by A and B", and a relative clause on that list
    ("On Monday, ties with Chad were severed by Sudan and Libya, which accused N'Djamena of arming rebels.",
     {"SDN sever_relations TCD 2024-05-13", "LBY sever_relations TCD 2024-05-13",
      "SDN accuse TCD 2024-05-13", "LBY accuse TCD 2024-05-13"}),
    # "the three Sahel states" without a list of three before: the last three states named
    ("Togo opened an embassy in Mali on Monday and sent envoys to Niger and Burkina Faso. "
     "The three Sahel states welcomed the move on Tuesday.",
     {"TGO open_embassy MLI 2024-05-13", "BFA praise TGO 2024-05-14", "MLI praise TGO 2024-05-14",
      "NER praise TGO 2024-05-14"}),
    # a negation inside a relative clause on the subject is the clause's
    ("Hungary, which did not sign the letter, expelled two Dutch diplomats on Monday.",
     {"HUN expel_diplomats NLD 2024-05-13"}),
    # "later that month": the month of the date named before
    ("The dispute ended in January 2021. Egypt and Qatar restored diplomatic relations later that month.",
     {"EGY restore_relations QAT 2021-01"}),
    # a message of congratulations praises its addressee; exchanged, each praises the other
    ("President Erdogan sent Putin a message of congratulations on Monday.",
     {"RUS correspond TUR 2024-05-13", "TUR praise RUS 2024-05-13"}),
    ("President Lula and President Milei exchanged congratulatory messages on Monday.",
     {"ARG correspond BRA 2024-05-13", "ARG praise BRA 2024-05-13", "BRA praise ARG 2024-05-13"}),
    # what a quoted message says is dated by the message
    ("Vietnam's president met the Cuban ambassador in Hanoi on Thursday.\n\nThe Vietnamese president also "
     "received a message from the Lao president on Monday. The message went on: I hope to further develop "
     "relations between our two countries.",
     {"CUB meet VNM 2024-05-16", "LAO correspond VNM 2024-05-13", "LAO pledge_cooperation VNM 2024-05-13"}),
    # warned against / refrained from doing: not done
    ("The Kenyan government warned Somalia on Monday against hosting the talks.", {"KEN warn SOM 2024-05-13"}),
    ("Greece refrained from recognizing Kosovo in 2008.", set()),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_sentence(text: str, expected: set[str]) -> None:
    assert events(text) == expected


def test_no_publication_date_leaves_relative_dates_open() -> None:
    assert events("Norway recognized Palestine on Tuesday.", published=None) == {"NOR recognize PSE None"}


def test_event_fields_and_codes() -> None:
    [e] = get_extractor().extract(Article("a1", "Russia invaded Ukraine in February 2022.", published=PUB))
    assert (e.article, e.cameo, e.plover, e.goldstein, e.quad) == ("a1", "190", "ASSAULT", -10.0, 4)
    assert e.precision == "month" and 0 < e.confidence <= 1
    assert "invaded" in e.evidence


def test_one_event_once_per_article() -> None:
    text = ("Norway recognized Palestine on Tuesday. The recognition of Palestine by Norway "
            "drew praise. Norway recognized Palestine, officials repeated.")
    evs = [e for e in get_extractor().extract(Article("a", text, published=PUB)) if e.relation == "recognize"]
    assert len(evs) == 1 and evs[0].date == "2024-05-14"




def test_regression_corpus() -> None:
    """Our own corpus of articles (every relation, negations, date puzzles): a floor, not a target."""
    ev = evaluate(Path(__file__).parent / "corpus" / "regression.jsonl")
    assert ev.levels["typed"].precision >= 0.92  # measured 0.951 (session 3)
    assert ev.levels["typed"].f1 >= 0.83  # 0.854
    assert ev.levels["dated"].f1 >= 0.80  # 0.829


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for e in get_extractor().extract(Article("x", text, published=PUB)):
        assert e.subject != e.object
        assert e.date is None or e.date[: len(PUB.isoformat())] <= PUB.isoformat()


@pytest.mark.parametrize("stamp", ["Updated : 2024-05-16 05:52 GMT+08:00", "Published on May 16, 2024 1:42 AM",
                                   "Posted: 16 May 2024", "Thu May 16, 2024", "May 16, 2024 10:42 AM"])
def test_a_page_stamp_is_not_the_news_date(stamp: str) -> None:
    text = (f"Peru recalls envoy from Mexico\n\n{stamp}\n\n"
            "LIMA (Reuters) - Peru recalled its ambassador from Mexico on Tuesday, the foreign ministry said.")
    assert events(text) == {"PER recall_ambassador MEX 2024-05-14"}


def test_a_day_inside_a_quotation_is_the_speakers_not_the_news_date() -> None:
    # published Thursday 2024-05-16; the briefing was on Wednesday, and its "today" is Wednesday
    text = ("Ghana's envoy briefed reporters on Wednesday.\n\n"
            '"The talks today were warm," she said.\n\n'
            "During the talks with Togolese President Faure Gnassingbe, Ghana's foreign minister "
            "raised the border question.")
    assert events(text) == {"GHA meet TGO 2024-05-15"}
