"""Scoring PostGuard against labelled drafts, one company at a time (used by tests/test_quality.py).

Per finding category, over a company's drafts:
  TP  the category is expected and at least one finding of it (above "info") is reported
  FP  reported but not expected;  FN  expected but not reported
Also: referral accuracy (drafts with a `referral` label whose first referral is it), referral links on
drafts with no customer in sight (no `replying_to`, a post or caption, not addressed to @someone), and
the share of clean drafts that get a warning or worse.

Run `python -m tests.quality` for every company's table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from companion.engine.check import CheckRequest, check
from companion.pack.compiled import load_pack

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)   # pinned: public_after dates in the packs must not drift the figures
CATEGORIES = ("confidential", "safety", "speaking_for_company", "disclosure", "escalation", "personal_data",
              "tone", "platform_limit")


@dataclass(frozen=True)
class LabelledSet:
    name: str
    pack: Path
    drafts: Path
    tuned: bool          # were rules tuned while looking at these drafts?


# In the order they were written. A company stays untouched until its figures have been reported
# before any tuning on it (tests/data/companies/README.md).
COMPANIES = ("harbourvale", "relsa", "medisant", "bramble", "kestrel", "dunav", "pinecrest", "lale", "fernhill",
             "tessellate", "calder", "vireo", "kovach", "skylark", "keystone", "pulse", "tidewell", "marlow", "ember",
             "northwind", "zippa", "ironclad", "riverside", "acorns", "swoop", "pawpoint", "reelhouse", "kindhands",
             "brightline", "cobalt", "summit", "greencycle", "velvetrow", "goldenace",
             "meridian", "luma", "harvestlane", "brightwater", "corvid", "tandem", "oakridge", "nightowl", "crestway",
             "larkspur", "paloma", "hearthstone", "relaypoint", "wrenfield", "mopwell", "parkwise", "evergreen",
             "bassline", "thornbury", "hivespace", "gearshift", "dentaria", "fibrelink", "galloway",
             "goldcrest", "bounceworks", "saltmarsh", "quarrystone", "copperkettle", "liftwell",
             "runway", "hirewise", "lantern", "aquaforth", "bluehaven", "rapidaid", "ardent", "quadhouse",
             "fairpath", "wardline", "coinvale", "hurst", "lynxmoor", "shearline", "racklight",
             "clearsight", "moorings", "tumbler", "heatherfield", "pressly", "inkwell",
             "bloomwick", "flowright", "riddlecrest", "kennelly", "spokehaus", "stackwell",
             "roadwise", "fixbay", "saffron", "encore", "hearthwood", "stillwater",
             "boltright", "ashcombe", "crumbwell", "loamfield", "nestara", "wayfarer",
             "kindred", "crag", "whiskerwood", "vitalis", "zanetti", "stratalink",
             "marisol", "trueshot", "furlong", "kelpie", "cipherwall", "rosehill", "brindle", "halden", "readwell",
             "birchholt", "wildacre", "chorus", "quayline", "meadowfold", "gladestone",
             "lingomark", "tallyfield", "sunbarrow", "ravensgate", "corriemoor", "rustbeck",
             "loomcraft", "deepwell", "petalis", "grayhaven", "pennant", "swapsy", "sleeperline", "voltmere", "kitefield",
             "fabwell", "nookstay", "fleetfoot", "copperdeep", "vendora", "lenswick",
             "driftmoor", "rigmont", "quillby", "danlow", "voidlark", "sudsbury", "lanternby", "hollyfen", "glasshaven",
             "fairmead", "gullwing", "brawnly", "sootwick", "bridlewood", "earwell",
             "flexa", "wrecksall", "willowmere", "trowelby", "scoopwell", "paneway", "sparkmoor", "hollowbrook", "gritstone",
             "apexton", "skymast", "heronsgate", "jibston", "twirlwood", "lidomere", "shutterlane", "cascara", "ridgeway",
             "rinkhollow", "lucksworth", "pillbrook", "cinderwick", "quenby", "velourie",
             "rigmoor", "flintmoor", "lacewell", "aerlyn", "passmoor", "cocoaridge",
             "threadmoor", "gaugewell", "vaultbrook", "brackwater", "stairwise", "renalby",
             "crimsonvale", "wrightgate", "pestbury", "kingsmere", "hushaby", "marrowfield")
# Meridian ... Tandem were written 2026-11-30 by people who never saw the rules and measured before any
# tuning on them, then tuned on (Meridian, Luma and Harvest Lane first, Brightwater, Corvid and Tandem
# after their untouched figures were reported).
# Oakridge, Nightowl and Crestway were written the same day, left untouched and reported, and tuned on in
# the session after, as were Larkspur, Paloma and Hearthstone, and then RelayPoint, Wrenfield and Mopwell.
# Parkwise, Evergreen and Bassline were written 2026-11-30 in the session that tuned on those three, and
# were left untouched, reported, and tuned on in the session after.
# Thornbury, Hivespace and Gearshift were written 2026-12-01, measured with that session's starting code,
# reported, and tuned on in the session after, which wrote Dentaria, Fibrelink and Galloway the same way.
# Goldcrest, Bounceworks and Saltmarsh were written 2026-12-01 at the start of the session that tuned on those,
# reported, and tuned on in the session after, which wrote Quarrystone, Copperkettle and Liftwell the same way.
# Runway, Hirewise and Lantern were written the same way at the start of the session after, which tuned on
# Quarrystone, Copperkettle and Liftwell once their untouched figures had been reported.
# Aquaforth, Bluehaven and RapidAid were written the same way at the start of the session after, which
# tuned on Runway, Hirewise and Lantern once their untouched figures had been reported.
# Ardent, Quadhouse and Fairpath were written the same way at the start of the session after (the Quadhouse
# writer also saw this folder's README, with its round notes, before writing), which tuned on Aquaforth,
# Bluehaven and RapidAid once their untouched figures had been reported.
# Wardline, Coinvale and Hurst & Lowe were written the same way at the start of the session after, which
# tuned on Ardent, Quadhouse and Fairpath once their untouched figures had been reported.
# Lynxmoor (a zoo and aquarium), Shearline (hair and beauty salons) and Racklight (data centres) were
# written the same way at the start of the session after, which tuned on Wardline, Coinvale and Hurst
# once their untouched figures had been reported.
# Clearsight (opticians and hearing care), Moorings (marinas and boat hire) and Tumbler (locksmiths) were
# written the same way at the start of the session after, which tuned on Lynxmoor, Shearline and
# Racklight once their untouched figures had been reported.
# Heatherfield (holiday parks), Pressly (dry cleaning and laundry) and Inkwell (tattoo studios) were
# written the same way at the start of the session after, which did not tune the lexicons on Clearsight,
# Moorings and Tumbler (four rounds of that had moved no untouched set) but worked on referrals: all six
# stay untouched.
# Bloomwick (florists), Flowright (plumbing and heating) and Riddlecrest (escape rooms) were written the
# same way at the start of the session after, which trained both models on those six as well (the
# lexicons were not tuned on them) and taught the second opinion to read disclosures in other words.
# Kennelly (pet hotels and dog walkers), Spokehaus (bicycle shops) and Stackwell (print and signs) were
# written the same way at the start of the session after, which tuned on Bloomwick, Flowright and
# Riddlecrest once their untouched figures had been reported.
# Roadwise (roadside recovery), Fixbay (phone and laptop repair) and Saffron Table (event catering) were
# written the same way at the start of the session after, which tuned on Kennelly, Spokehaus and
# Stackwell once their untouched figures had been reported.
# Encore (theatres and a concert hall), Hearthwood (furniture stores with home delivery) and Stillwater
# (therapy clinics) were written the same way at the start of the session after, which tuned on Roadwise,
# Fixbay and Saffron Table once their untouched figures had been reported.
# Boltright (DIY and hardware superstores), Ashcombe & Reid (a law firm, English only) and Crumbwell (a bakery
# chain, half in Bulgarian) were written the same way at the start of the session after, which tuned on
# Encore, Hearthwood and Stillwater once their untouched figures had been reported.
# Loamfield (garden centres), Nestara (fertility clinics, English and some Spanish) and Wayfarer (backpacker
# hostels) were written the same way at the start of the session after, which tuned on Boltright, Ashcombe
# and Crumbwell once their untouched figures had been reported.
# Kindred Match (a dating app with a trust-and-safety team), Crag & Current (outdoor adventure centres) and
# Whiskerwood (an animal rescue charity, English and a little Polish) were written the same way at the start
# of the session after, which tuned on Loamfield, Nestara and Wayfarer once their untouched figures had
# been reported.
# Vitalis Plasma (plasma donation centres that pay donors), Zanetti Circus & Funfair (a touring circus and
# funfair, English, Bulgarian and some Romanian) and Stratalink Tollways (a motorway and toll-bridge
# operator) were written the same way at the start of the session after, which tuned on Kindred, Crag and
# Whiskerwood once their untouched figures had been reported.
# Marisol Cruises (ocean and Danube river cruises), Trueshot Ranges & Outfitters (shooting ranges and gun
# shops) and Furlong Park (racecourses with stables and a tote) were written the same way at the start of the
# session after, which tuned on Vitalis, Zanetti and Stratalink once their untouched figures had been reported.
# Kelpie Seafoods (trawlers, a fish auction, a processing plant and fishmongers), Cipherwall Security
# (penetration testers, incident response and a night security operations centre) and Rosehill Wine Estates
# (vineyards, cellar-door tastings, harvest crews and a wine club) were written the same way at the start of
# the session after, which tuned on Marisol, Trueshot and Furlong once their untouched figures had been reported.
# Brindle Toys (toy shops with recalls and a grotto), Halden Chemicals (a chemical plant and tank terminal with
# night shifts and complaining neighbours) and Readwell Libraries (public libraries with lone late openings and
# a mobile library) were written later the same session and measured on its final code, before any tuning.
# Birchholt Forestry (felling crews, log lorries, sawmills and firewood deliveries), Wildacre Camps (children's
# residential camps with lifeguards, kitchens and parents' photos) and Chorus Contact Centres (outsourced call
# and chat centres under client NDAs) were written the same way at the start of the session after, which
# tuned on Kelpie, Cipherwall and Rosehill once their untouched figures had been reported.
# Quayline Port Terminals (container and ro-ro terminals with crane and straddle drivers on night shifts and a
# secure gate), Meadowfold Dairy Co-operative (member farms, milk tankers before dawn, a creamery with ammonia
# plant and recalls) and Gladestone Weddings & Events (country-house wedding venues, deposits, celebrity
# weddings under NDA) were written the same way at the start of the session after, which tuned on Brindle,
# Halden and Readwell once their untouched figures had been reported again.
# Lingomark Interpreting (court, police and hospital interpreters), Tallyfield Research (polling and market
# research with door-to-door fieldworkers and embargoed results) and Sunbarrow Growers (glasshouse growers with
# seasonal pickers in on-site caravans) were written the same way at the start of the session after, which
# tuned on Birchholt, Wildacre and Chorus once their untouched figures had been reported again.
# Ravensgate Productions (TV reality and game shows with secret contestants and results), Corriemoor Nuclear
# (a nuclear power station, a decommissioning site and a training centre near Kozloduy) and Rustbeck Metals
# (scrap-metal yards and a vehicle dismantler) were written the same way at the start of the session after,
# which tuned on Quayline, Meadowfold and Gladestone once their untouched figures had been reported a third time.
# Loomcraft Garments (sewing and cutting floors, a dye house, own-label orders under NDA), Deepwell Diving &
# Salvage (commercial divers offshore and in port, a decompression chamber, a diving school) and Petalis
# Cosmetics (rose-oil skincare with shops, beauty advisers, an affiliate programme and recalls) were written
# the same way at the start of the session after, which tuned on Lingomark, Tallyfield and Sunbarrow once their
# untouched figures had been reported a third time; their rude replies were read a second time for escalation
# like every other set's (README, "Escalation read twice") before they were measured.
# Grayhaven Shipyards (shipbuilding and repair yards with welders in enclosed tanks, dry docks and naval work
# under official secrecy), Pennant & Vail (accountancy, audit and tax with inside information before results
# day) and Swapsy (a second-hand marketplace app with collections in person, payouts and an authentication
# centre) were written the same way at the start of the session after, which tuned on Ravensgate, Corriemoor
# and Rustbeck once their untouched figures had been reported a third time; their rude replies were read a
# second time before they were measured; they were tuned on two sessions later, after their third report.
# Sleeperline Rail Services (track gangs on night possessions beside live lines), Voltmere Motors (electric vans
# with code-named prototypes and battery plants) and Kitefield Drones (drone surveys and sample deliveries, a
# crash under investigation) were written the same way at the start of the session after, which tuned on
# Loomcraft, Deepwell and Petalis once their untouched figures had been reported a third time; their rude
# replies were read a second time before they were measured.
# Fabwell Semiconductors (a wafer fab with night rotations and toxic gases, customers' designs under NDA),
# Nookstay (holiday lets run for owners: lock codes, cleaners alone between guests, parties and neighbours)
# and Fleetfoot Athletics (a club and running events: juniors, race days, anti-doping whereabouts) were
# written the same way at the start of the session after, which tuned on Grayhaven, Pennant and Swapsy once
# their untouched figures had been reported a third time; their rude replies were read a second time first.
# Copperdeep Mining (an underground copper and gold mine with a smelter and unpublished drilling results),
# Vendora Refreshments (vending machines and micro-markets restocked by lone route drivers with cash and
# master keys) and Lenswick Camera & Lighting Rentals (film-kit rental with late returns, a lens vault and
# shoots under NDA) were written the same way at the start of the session after, which tuned on Sleeperline,
# Voltmere and Kitefield once their untouched figures had been reported a third time; their rude replies
# were read a second time first.
# Driftmoor Balloon Flights (dawn balloon flights, landings on farmland, a hard landing under investigation),
# Rigmont Scaffolding & Roofing (work at height, lone roofers in customers' lofts, a scaffold collapse) and
# Quillby Investigations (surveillance operatives, process servers, due diligence under NDA) were written
# the same way at the start of the 39th round, which tuned on Fabwell, Nookstay and Fleetfoot once their
# untouched figures had been reported a third time; their rude replies were read a second time first.
# Danlow River Freight (Danube barges, a river terminal at Ruse, crew changes), Voidlark Esports (players,
# academy players and streamers, a gaming house, events and a merch store) and Sudsbury Car Valeting
# (hand-wash sites and mobile crews, a fleet desk, in England and Bulgaria) were written the same way at
# the start of the 40th round; their rude replies were read a second time first.
# Copperdeep, Vendora and Lenswick were tuned on in the 40th round, after their untouched figures had been
# reported a third time. The same round topped up the eleven sets written last with clean near misses
# (they had 36-40 % clean; the bar is 40 %), written and read a second time before they were measured.
# Driftmoor, Rigmont and Quillby were tuned on in the 42nd round, after their untouched figures had been
# reported a third time (the 41st round changed no rule).
# Lanternby Tutors (tutoring centres, home and online lessons, sealed mock papers), Hollyfen Tree Care (tree
# surgeons with climbing crews, storm call-outs and a firewood yard) and Glasshaven Growers (glasshouse
# growers with seasonal pickers in on-site housing and a packhouse) were written the same way at the start
# of the 42nd round; their rude replies were read a second time first.
# Danlow, Voidlark and Sudsbury were tuned on in the 44th round, after their third untouched report.
# Fairmead Golf Resorts (golf courses, greenkeepers at dawn, villas sold off-plan), Gullwing Sightseeing
# (open-top buses, boat and ghost tours, street ticket sellers with cash floats) and Brawnly Nutrition
# (supplements made in its own factory, sponsored athletes, batch testing) were written the same way at the
# start of the 44th round; their 76 rude replies were read a second time first (all 76 agreed).
# Lanternby, Hollyfen and Glasshaven were tuned on in the 45th round, after their third untouched report.
# Fairmead, Gullwing and Brawnly were tuned on in the 46th round, after their third untouched report;
# Sootwick, Bridlewood and Earwell by the rules only at its end, after their end-of-round report.
# Sootwick Chimney Sweeps (sweeps on roofs and in empty homes with key-safes, stove fitting, CO alarms),
# Bridlewood Equestrian Centres (riding schools and livery yards, pony camps for children, hacks on roads)
# and Earwell Hearing Centres (audiology clinics, home visits to elderly patients, children's screening)
# were written the same way at the start of the 45th round; their 74 rude replies were read a second time
# first (66 agreed; four of the eight disagreements were settled for the second reading).
# Flexa Physio (physiotherapy clinics, home visits after operations, pitch-side care), Wrecksall Demolition
# (high-reach demolition, asbestos, explosive collapses, scrap kept on site) and Willowmere Care Homes (care
# homes with dementia units, night staff alone on a floor, residents' falls) were written the same way at the
# end of the 45th round, after its last change to the rules and models; their 79 rude replies were read a
# second time first (74 agreed; two of the five disagreements were settled for the second reading).
# Trowelby Archaeology (rescue digs on building sites, embargoed finds, night guards against nighthawks),
# Scoopwell Ices (ice-cream vans alone with cash on estates, seafront parlours, allergens) and Paneway
# Windows & Doors (fitters in customers' homes, door-to-door sales, finance plans) were written the same way
# at the start of the 46th round; their 76 rude replies were read a second time first (75 agreed; the one
# disagreement, an insult to someone sneering at conservatories in general, kept the first label).
# Sparkmoor Pyrotechnics (display teams guarding kit alone at firing sites, explosives stores, misfires),
# Hollowbrook Meats (abattoirs and a packing plant: knives, activists at the gates, recalls) and Gritstone
# Winter Services (gritter drivers alone on icy routes at night, slips and claims) were written the same way
# at the start of the 47th round; their 77 rude replies were read a second time first (76 agreed; the one
# disagreement, an insult to a colleague in a private message, kept the first label).
# Flexa, Wrecksall and Willowmere were tuned on in the 47th round, after their third untouched report.
# Apexton Karting (tracks, junior academy, duty managers closing alone, crashes and waivers), Skymast Tower
# Services (riggers on remote masts, landowners' gate codes, anti-5G protests) and Heronsgate Hospice (night
# nurses, controlled drugs, home visits with key safes, charity shops) were written the same way at the start
# of the 48th round; their 78 rude replies were read a second time first (77 agreed; the one disagreement, a
# colleague's number posted with a laugh under a complaint, took the second reader's escalation).
# Trowelby, Scoopwell and Paneway were tuned on in the 48th round, after their fourth untouched report.
# Jibston Crane Hire (lifts over busy streets, abnormal loads under escort at night, yard depots), Twirlwood
# Dance Schools (children's classes, chaperones and away competitions, fees) and Lidomere Pool & Spa Care
# (pool chemicals in vans, villa pools without lifeguards, leaks and call-outs) were written the same way at
# the start of the 49th round; their 74 rude replies were read a second time first (73 agreed; the one
# disagreement, an upset customer shamed over his debts in public, took the second reader's escalation).
# Sparkmoor, Hollowbrook and Gritstone were tuned on in the 49th round, after their fourth untouched report.
# Apexton, Skymast and Heronsgate were tuned on in the 50th round, after their fourth untouched report.
# Jibston, Twirlwood and Lidomere were tuned on in the 51st round, after their fourth untouched report.
# Shutterlane, Cascara and Ridgeway were tuned on in the 52nd round, after their fourth untouched report.
# Shutterlane Photography (photographers alone at venues with costly kit, school picture days, shoots under
# NDA), Cascara Hydro (operators alone at remote dams, spillway releases, reservoir swimmers) and Ridgeway
# Coaches (school runs, overnight Sofia-London routes, drivers' hours) were written the same way at the start of
# the 50th round; their 77 rude replies were read a second time first (75 agreed; the two disagreements, a
# complaint blamed back on the customer and a colleague told to stop moaning, kept the first labels).
# Rinkhollow Ice (rinks with ice technicians alone at night, a skating school, hockey teams, an ammonia plant),
# Lucksworth Leisure (bingo halls and seaside arcades: staff alone with cash, age checks, self-exclusion) and
# Pillbrook Pharma Distribution (a drugs wholesaler: night pickers, a controlled-drugs vault, dawn van runs,
# recalls) were written the same way at the start of the 51st round; their 78 rude replies were read a second
# time first (77 agreed; the one disagreement, a customer's mild complaint answered with a jibe, took the
# second reader's escalation). Reported untouched a fourth time at the end of the 53rd round, and tuned on
# in the 54th.
# Cinderwick Energy Recovery (waste-to-energy plants: night tipping halls, a control room alone at weekends,
# ash and emissions, neighbours' complaints), Quenby Language Schools (summer schools for teenagers, homestays,
# airport transfers for minors, exam dates and visa letters) and Velourie Aesthetics (injectables and lasers:
# practitioners closing alone, before-and-after photos, complications) were written the same way at the start of
# the 52nd round; their 77 rude replies were read a second time first (76 agreed; the one disagreement, a
# reply teasing a critic of the homestay food, kept the first labels).
# Rigmoor Offshore (oil and gas platforms: rotations, helicopter flights, a spill and fishermen's claims,
# protests), Flintmoor Fire Protection (fire alarms and sprinklers: engineers alone in empty buildings with
# clients' keys and codes, an alarm-receiving centre) and Lacewell Bridal (bridal shops: appointments,
# deposits, alterations, staff closing alone) were written the same way at the start of the 53rd round; their
# 80 rude replies were read a second time first (all 80 agreed on tone and escalation).
# Aerlyn Air Ambulance (a charity air ambulance and private medical flights: night crews at airbases, landing
# sites, drugs on board, a lottery and charity shops), Passmoor Visa Services (visa and passport centres run for
# governments: passports in safes overnight, couriers, touts, a call centre) and Cocoaridge Confectionery (a
# chocolate maker: night lines, factory shops and tours, code-named bars, allergen recalls) were written the same
# way at the start of the 55th round; their 73 rude replies were read a second time first (72 agreed; the one
# disagreement, a rude answer to a question that also complained, took the second reader's escalation).
# Cinderwick, Quenby and Velourie were tuned on in the 55th round, after their fourth untouched report.
# Rigmoor, Flintmoor and Lacewell were tuned on in the 56th round, after their fourth untouched report.
# Aerlyn, Passmoor and Cocoaridge were tuned on in the 59th round, after their fourth untouched report.
# Threadmoor, Gaugewell and Vaultbrook were tuned on in the 60th round, after their fourth untouched report.
# Brackwater, Stairwise and Renalby were tuned on in the 61st round, after their fourth untouched report.
# Threadmoor Workwear (a textile mill and uniform maker: a dye-house run alone at night, uniforms and insignia for
# police, prisons and airlines), Gaugewell Test Centres (vehicle inspection: testers' login cards, certificate
# stock, bribes) and Vaultbrook Records & Shredding (document storage and shredding trucks holding clients' keys
# and codes) were written the same way at the start of the 56th round, after that round's tuning; their 70 rude
# replies were read a second time first (68 agreed; the two disagreements, rude answers to questions that also
# criticised the service or the testers, took the second reader's escalation).
# Brackwater Ferries (Irish Sea, Danube and Black Sea ferries: car decks, night crossings, stowaways), Stairwise
# Mobility (stairlifts and wheelchairs: engineers alone in elderly customers' homes, key safes) and Renalby
# Kidney Care (dialysis units and home deliveries: patients three times a week, two staff on a Saturday) were
# written the same way at the start of the 57th round, with the rules as the 56th left them; their 78 rude
# replies were read a second time first, and both readings agreed on all 78.
# Crimsonvale Plasma & Blood Centres (paid plasma donation, a testing lab), Wrightgate Enforcement & Collections
# (bailiffs and debt collection) and Pestbury Pest Control were written the same way in the 59th round, with
# the rules as that round's tuning left them; their 72 rude replies were read a second time first.
# Kingsmere Chauffeurs (executive and VIP chauffeurs), Hushaby Nannies (a nanny agency) and Marrowfield Livestock
# Marts were written the same way in the 60th round, with the rules as that round's tuning left them; their 79
# rude replies were read a second time first (78 agreed; the one disagreement kept the first reading).
UNTOUCHED: set[str] = {"crimsonvale", "wrightgate", "pestbury", "kingsmere", "hushaby", "marrowfield"}
# Tuned on by the rules but not yet learned by the two models. The 54th round retrained both models with
# Rinkhollow, Lucksworth and Pillbrook and kept the old ones: the new ones brought 19 new false alarms over
# the other tuned sets and moved nothing on the six untouched (README, "Fifty-fourth round"). The 55th round
# tuned the rules on Cinderwick, Quenby and Velourie, retrained both models with all six and kept the old
# ones again: no measurable gain on the untouched sets (README, "Fifty-fifth round"). Rigmoor, Flintmoor and
# Lacewell, tuned on in the 56th round, are not learned either, nor are Aerlyn, Passmoor and Cocoaridge (59th),
# Threadmoor, Gaugewell and Vaultbrook (60th) or Brackwater, Stairwise and Renalby (61st).
NOT_IN_THE_MODELS: set[str] = {"rinkhollow", "lucksworth", "pillbrook", "cinderwick", "quenby", "velourie",
                                "rigmoor", "flintmoor", "lacewell", "aerlyn", "passmoor", "cocoaridge",
                                "threadmoor", "gaugewell", "vaultbrook", "brackwater", "stairwise", "renalby"}

SETS = [
    LabelledSet("nimbusco", ROOT / "policy_packs/example/nimbusco.yaml", ROOT / "tests/data/labelled_drafts.yaml", True),
    *(LabelledSet(c, ROOT / f"tests/data/companies/{c}/pack.yaml", ROOT / f"tests/data/companies/{c}/drafts.yaml",
                  c not in UNTOUCHED) for c in COMPANIES),
]


def model_training_sets() -> list[LabelledSet]:
    """The companies the shipped models learn from: tuned ones, less those not yet learned."""
    return [s for s in SETS if s.tuned and s.name not in NOT_IN_THE_MODELS]


def customer_in_sight(d: dict) -> bool:
    return bool(d.get("replying_to")) or d["surface"] in ("reply", "comment", "message") or \
        bool(re.match(r"\s*@\w", d["text"]))


@dataclass
class Outcome:
    draft: dict
    expected: set[str]
    got: set[str]
    findings: list
    referral: str | None

    def label(self) -> str:
        d = self.draft
        text = " ".join(d["text"].split())
        text = text if len(text) <= 90 else text[:87] + "..."
        where = f"{d['platform']}/{d['surface']}" + (f" as {d['account']}" if d.get("account") else "")
        return f"{text!r} ({where})"

    def evidence(self, category: str) -> str:
        return "; ".join(f"{f.rule} on {f.excerpt!r}" for f in self.findings if f.category == category)


@dataclass
class Scores:
    name: str
    drafts: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    fp_drafts: dict = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    fn_drafts: dict = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    referral_total: int = 0
    referral_right: int = 0
    referral_misses: list = field(default_factory=list)
    no_customer: int = 0
    stray_referrals: list = field(default_factory=list)
    clean: int = 0
    clean_warned: list = field(default_factory=list)

    @staticmethod
    def ratio(num: int, den: int) -> float:
        return num / den if den else 1.0

    def precision(self, c: str | None = None) -> float:
        tp = self.tp[c] if c else sum(self.tp.values())
        fp = self.fp[c] if c else sum(self.fp.values())
        return self.ratio(tp, tp + fp)

    def recall(self, c: str | None = None) -> float:
        tp = self.tp[c] if c else sum(self.tp.values())
        fn = self.fn[c] if c else sum(self.fn.values())
        return self.ratio(tp, tp + fn)

    @property
    def referral_accuracy(self) -> float:
        return self.ratio(self.referral_right, self.referral_total)

    @property
    def stray_referral_share(self) -> float:
        return self.ratio(len(self.stray_referrals), self.no_customer) if self.no_customer else 0.0

    @property
    def clean_warned_share(self) -> float:
        return self.ratio(len(self.clean_warned), self.clean) if self.clean else 0.0

    def table(self) -> str:
        lines = [f"{self.name}: {self.drafts} drafts, date {TODAY}",
                 f"  {'category':<22}{'expected':>9}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}"]
        for c in CATEGORIES:
            lines.append(f"  {c:<22}{self.expected[c]:>9}{self.tp[c]:>5}{self.fp[c]:>5}{self.fn[c]:>5}"
                         f"{self.precision(c):>11.3f}{self.recall(c):>8.3f}")
        lines.append(f"  {'overall':<22}{sum(self.expected.values()):>9}{sum(self.tp.values()):>5}"
                     f"{sum(self.fp.values()):>5}{sum(self.fn.values()):>5}{self.precision():>11.3f}{self.recall():>8.3f}")
        lines.append(f"  referral accuracy {self.referral_right}/{self.referral_total} = {self.referral_accuracy:.3f}; "
                     f"links with no customer in sight {len(self.stray_referrals)}/{self.no_customer} = "
                     f"{self.stray_referral_share:.3f}; clean drafts warned {len(self.clean_warned)}/{self.clean} = "
                     f"{self.clean_warned_share:.3f}")
        return "\n".join(lines)

    def problems(self, category: str) -> str:
        lines = []
        for o in self.fn_drafts[category]:
            lines.append(f"  missed   {o.label()}\n           expected {sorted(o.expected)}, got {sorted(o.got)}")
        for o in self.fp_drafts[category]:
            lines.append(f"  flagged  {o.label()}\n           expected {sorted(o.expected)}, got {sorted(o.got)}"
                         f" [{o.evidence(category)}]")
        return "\n".join(lines)


def load_drafts(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))   # libyaml: ten times faster


def evaluate(labelled: LabelledSet, pack=None, drafts: list[dict] | None = None) -> Scores:
    """The company's scores; `pack` and `drafts`, when given, are its compiled pack and drafts already loaded."""
    pack = pack if pack is not None else load_pack(labelled.pack)
    drafts = drafts if drafts is not None else load_drafts(labelled.drafts)
    s = Scores(labelled.name, len(drafts))
    for d in drafts:
        report = check(pack, CheckRequest(d["text"], d["platform"], surface=d["surface"],
                                          replying_to=d.get("replying_to"), account=d.get("account"), today=TODAY))
        counted = [f for f in report.findings if f.severity != "info"]
        o = Outcome(d, set(d["expect"]), {f.category for f in counted}, counted,
                    report.referrals[0]["id"] if report.referrals else None)
        for c in CATEGORIES:
            e, g = c in o.expected, c in o.got
            s.expected[c] += e
            if e and g:
                s.tp[c] += 1
            elif g:
                s.fp[c] += 1
                s.fp_drafts[c].append(o)
            elif e:
                s.fn[c] += 1
                s.fn_drafts[c].append(o)
        if d.get("referral"):
            s.referral_total += 1
            if o.referral == d["referral"]:
                s.referral_right += 1
            else:
                s.referral_misses.append(o)
        if not customer_in_sight(d):
            s.no_customer += 1
            if report.referrals:
                s.stray_referrals.append(o)
        if not d["expect"]:
            s.clean += 1
            if counted:
                s.clean_warned.append(o)
    return s


if __name__ == "__main__":
    import sys

    wanted = set(sys.argv[1:])
    for labelled in SETS:
        if not wanted or labelled.name in wanted:
            sc = evaluate(labelled)
            print(sc.table() + ("" if labelled.tuned else "   (untouched: not tuned on)") + "\n")
