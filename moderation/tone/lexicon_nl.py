"""Dutch rules for the tone check, kept as data: (tag, pattern[, options]).

Patterns are written against the normalised text (see normalise.py): lower case, no accents,
no apostrophes ("mn" is "mijn", "zon" is "zo'n"), punctuation as separate tokens, single spaces.
%(NAME)s expands to a macro from rules.MACROS (word gaps that never cross punctuation, pronouns).
Options: neg="span" (a negation inside the match or right after it cancels it: "ik ga je heus
niet slaan"), neg="before" (also a negation just before it: "je bent geen slechte moeder"),
weak=True (a signal that a friendly message outweighs), unless=<pattern> (the rule does not
apply when the message also matches it, e.g. a pickup time next to "voor je deur").
"""

# "you are" in its written forms, and the adverbs that may stand between an object and a verb of
# harm ("ik sla je heus niet", "ik maak je echt helemaal kapot").
YOUARE_NL = r"(?:je bent|jij bent|ben je|ben jij|u bent|bent u|je ben|jij ben|jullie zijn|zijn jullie|je bent ook|jij bent ook)"
ADV_NL = (
    r"(?:heus|niet|nooit|echt|wel|nog|even|helemaal|gewoon|zo|straks|morgen|vanavond|vannacht|ooit|"
    r"eens|keihard|persoonlijk|zelf|ook|dan|meteen|direct|nu|gelijk|alsnog|allemaal|allebei|hoor|"
    r"toch|maar|eigenhandig|zeker|een keer|nog een keer|ff|dood)"
)

# Words for people the other parent cares about, and the parent themselves.
PARENT = r"(?:moeder|vader|ouder|mama|papa|mam|pap|mamma|pappa|mams|paps)"
KIDS = (
    r"(?:de |je |jouw |mijn |onze )?(?:kinderen|kids|kinders|kindjes|jongens|meiden|meisjes|kleintjes|"
    r"kleine|zoon|dochter|kinderen)"
)
PARTNER = r"(?:nieuwe )?(?:vriend|vriendin|vent|gozer|man|vrouw|partner|vriendje|vriendinnetje|scharrel)"

# Nouns that insult a person. Most need a target (you, your partner); STRONG ones are insults
# wherever they stand.
INSULT_STRONG = (
    r"(?:klootzak\w*|kutwijf|kuttenkop|kuttekop|kankerlijer|kankerhoer|kankerwijf|kankerzooi|"
    r"teringlijer|tyfuslijer|pleurislijer|klerelijer|kolerelijer|hoer|hoerig|slet|sloerie|"
    r"mongool|randdebiel|debiel|tering ?wijf|teringhoer|kutvent|kutkop|lul(?:letje)?|oetlul|"
    r"droplul|eikel|trut|bitch|zakkenwasser|zakkenvuller|hufter|schoft|kreng|etterbak|smeerlap|"
    r"klootviool|stuk stront|stuk vreten|stuk ongeluk|idioot|imbeciel|sukkel|loser|kneus|klojo|"
    r"mislukkeling|nietsnut|uitvreter|parasiet|profiteur|psychopaat|psycho|narcist|manipulator|"
    r"leugenaar|gestoorde|malloot|mafkees|minkukel|aso|tokkie|heks|viezerik|engerd|lafaard|"
    r"slappeling|stommeling|oen|sul|zielepiet|zielenpoot|zeikerd|zeurpiet|zeurkous|jankerd|zeiksnor|clown|lapzwans|"
    r"flapdrol|dombo|domkop|stomkop|halvegare|mongol|kakkerlak|alcoholist|zuiplap|zuipschuit|junk|junkie|egoist|"
    r"egocentrist|klaploper|fantast|leugenaarster|psychopate)"
)
INSULT_ADJ = (
    r"(?:dom|dom(?:me)?|stom|achterlijk|achterlijke|debiel|debiele|gestoord|gestoorde|gek|gekke|"
    r"zielig|zielige|sneu|sneue|triest|waardeloos|waardeloze|lui|luie|egoistisch|egoistische|"
    r"onnozel|onnozele|hysterisch|hysterische|psychotisch|labiel|labiele|ziek in je hoofd|"
    r"ziek in je kop|gestoord in je hoofd|walgelijk|walgelijke|vies|smerig|lelijk|lelijke|dik|dikke|"
    r"laf|gierig|gierige|arrogant|arrogante|nutteloos|nutteloze|incapabel|onbekwaam|"
    r"kinderachtig|belachelijk|gemeen|gemene|vals|valse|geschift|knettergek|van lotje getikt|"
    r"onbetrouwbaar|onbetrouwbare|leugenachtig|egocentrisch|"
    r"verwend|verwende|hopeloos|hopeloze|patetisch|zwak|zwakke|schijnheilig|schijnheilige)"
)

RULES = [
    # ---------------------------------------------------------------- threats of harm (explicit)
    # "ik sla je in elkaar", "ik ga je heus niet slaan" (negated), "ik maak je kapot",
    # "we gaan die vent van je pijn doen"; the gap after the object may hold adverbs only, so
    # "ik heb je boek kapot gemaakt" is not read as "ik ... je ... kapot".
    ("threat",
     r"\b(?:ik|we|wij)\b(?: (?!heb\b|had\b|hebben\b|hadden\b|was\b)%(W)s){0,3}? "
     r"(?:je|jou|u|jullie|hem|haar|die %(W)s|dat %(W)s|%(KIDS)s|je %(PARTNER)s|jouw %(PARTNER)s)"
     r"(?: %(ADV_NL)s){0,3} "
     r"(?:slaan|sla|in elkaar|in mekaar|kapot|kapotmaken|kapot maken|afmaken|af maken|af\b(?= ?[.,!?]|$)|"
     r"vermoorden|vermoord|doodmaken|dood maken|doodslaan|dood slaan|dood|neersteken|neer steken|"
     r"neerschieten|neer schieten|steken|steek|wurgen|wurg|pijn|iets aan|wat aan|iets aandoen|"
     r"wat aandoen|iets aan doen|wat aan doen|te grazen|aftuigen|tuig|hersens|de hersens|de nek|je nek|"
     r"je kop|ziekenhuis|het ziekenhuis|graf|het graf|tot moes|bont en blauw|verrot|mollen|"
     r"om zeep|koud maken|weten te vinden|wel vinden|vinden|krijgen|pakken|grijpen|laten boeten|"
     r"laten bloeden|laten voelen|kapot maken|het leven zuur|leven zuur|afknallen|opzoeken|"
     r"rammen|trappen|schoppen|breken|opensnijden)\b",
     {"neg": "span"}),
    # "ik vermoord je", "ik wurg je" (verb first): these verbs are harm whatever follows.
    ("threat", r"\b(?:ik|we|wij)(?: %(ADV_NL)s){0,2} (?:vermoord|wurg|mol|vermorzel|verzuip|wurgen|vergiftig) (?:je|jou|u|jullie|hem|haar)\b",
     {"neg": "span"}),
    # "ik steek je neer", "ik sla je in elkaar", "ik trap je kapot": with a particle, or at the end.
    ("threat",
     r"\b(?:ik|we|wij)(?: %(ADV_NL)s){0,2} (?:vermoord|wurg|steek|schiet|mol|sla|trap|schop|ram|"
     r"beuk|tuig|timmer|mep|knal|snij|breek|ruk|trek) (?:je|jou|u|jullie|hem|haar)"
     r"(?: %(ADV_NL)s){0,3}(?: (?:neer|dood|in elkaar|in mekaar|af|kapot|lens|verrot|bont|helemaal|"
     r"de hersens|hersens|tanden|kop|hoofd|nek|benen|armen|de kop|je kop|de nek)\b|(?= ?[.,!?]|$| als\b| wanneer\b| zodra\b))",
     {"neg": "span"}),
    ("threat", r"\b(?:trek|ruk|sla|schop|draai|knal|hak|snij) (?:je|jouw|zijn|haar) (?:kop|hoofd|nek|tanden|smoel|bek|strot|keel)"
               r" (?:eraf|er af|in|om|uit|eruit|kapot|door|dicht)\b", {"neg": "span"}),
    # property: "ik steek je huis in de fik", "ik sla je ruiten in"
    ("threat",
     r"\b(?:ik|we|wij)\b(?: %(W)s){0,3}? (?:je|jouw|jullie|zijn|haar|dat) (?:%(W)s )?(?:huis|auto|ruit|ruiten|"
     r"banden|deur|voordeur|spullen|fiets|woning|flat|appartement|zaak|winkel)(?: %(W)s){0,2}? "
     r"(?:in de fik|in brand|in de hens|inslaan|in slaan|in gooien|ingooien|lek|kapot|bekrassen|"
     r"slopen|opblazen|afbranden|platbranden)\b", {"neg": "span"}),
    ("threat", r"\b(?:ik|we) (?:ga|gaan|zal|zullen|kom|komen)? ?(?:je|jou|jullie) (?:halen|opzoeken)(?= ?[.,!?]|$)",
     {"neg": "span"}),
    ("threat", r"\bik (?:krijg|pak|vind) (?:je|jou|jullie)(?: %(ADV_NL)s){0,2} (?:nog|wel|ooit|heus|overal|te vinden)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:weet|vind) (?:je|jou|jullie) (?:wel |heus |overal |altijd )*(?:te vinden|wel te vinden|overal)\b",
     {"neg": "span"}),
    ("threat", r"\bkom (?:ik )?verhaal halen\b|\bverhaal (?:komen )?halen\b"),
    ("threat", r"\b(?:je|jouw|jullie) leven (?:tot een hel|een hel|zuur|kapot|ondraaglijk|onmogelijk)"),
    ("threat", r"\b(?:je|jij|jullie|u) (?:bent|ben|is) (?:er )?(?:geweest|de lul|de sjaak|zuur|dood|een dood man|een dode vrouw)"
               r"(?! (?:moe|op|ziek|gewoon|normaal|eng|stil|zeker|serieus)\b)"),
    ("threat", r"\b(?:je|jij|jullie|u) (?:gaat|gaan) eraan\b|\b(?:je|jij) gaat er aan\b"),
    ("threat", r"\b(?:dan )?(?:ben|bent) (?:je|jij|u) nog (?:lang )?niet jarig\b"),
    ("threat", r"\b(?:je|jij|u) (?:ligt|belandt|komt) (?:\S+ )?(?:in het ziekenhuis|in het graf|op de eerste hulp|in een kist)"),
    ("threat", r"\bwie (?:hier )?de baas is\b"),
    # self-harm used as pressure: "als je weggaat doe ik mezelf wat aan"
    ("threat", r"\b(?:doe|zal|ga) ik mezelf (?:iets|wat) aan(?:doen)?\b|\bik (?:doe|ga) mezelf (?:iets|wat) aan|"
               r"\bik maak er een (?:eind|einde) aan\b|\bik (?:spring|maak mezelf van kant)\b", {"neg": "span"}),
    # the children taken away
    ("threat", r"\b(?:je|jij|u) (?:ziet|zult|zal|gaat) (?:\S+ )?(?:de kinderen|de kids|ze|je kinderen|je zoon|je dochter|hen|ze ooit)"
               r"(?: %(W)s){0,2} (?:nooit|niet) meer\b(?: terug| zien)?"),
    ("threat", r"\bnooit meer (?:zien|terugzien|te zien krijgen)\b"),
    ("threat", r"\b(?:vind|vindt|zie|ziet) (?:je|jij) (?:ons|ze|hen|de kinderen) nooit (?:meer|terug)\b"),
    ("threat", r"\b(?:ik|we) (?:neem|nemen|pak|haal) (?:de kinderen|de kids|ze|hen) (?:mee )?(?:weg|naar het buitenland|mee naar het buitenland|van je af)\b"),
    ("threat", r"\bzorg(?:en)? (?:ik|we) (?:er )?(?:wel )?voor dat (?:je|jij) (?:%(W)s ){0,3}(?:nooit|niks|niets|alles kwijt)"),
    # ---------------------------------------------------------------- veiled threats
    # consequences promised to "you", with or without a condition
    ("threat", r"\b(?:je|jij) (?:gaat|zult|zal) me (?:nog )?(?:leren kennen|echt leren kennen)\b|\b(?:je|jij) kent me (?:nog )?niet\b(?= ?[.!]|$)|\b(?:je|jij) (?:hebt|heb) nog (?:niks|niets) gezien\b"),
    ("threat", r"\bik zou (?:maar )?(?:goed |heel goed )?(?:op|letten op) (?:je|jouw) (?:kinderen|kids|huis|auto|rug|%(PARTNER)s|familie) (?:letten|passen)\b|\bzou (?:maar )?goed (?:op|letten op) (?:je|jouw) (?:kinderen|kids|%(PARTNER)s)\b"),
    ("threat", r"\b(?:heb|had) (?:je|jou) (?:nog |toch |wel )?gewaarschuwd(?= ?[.!]|$)|\bdenk erom\b"),
    ("threat", r"\b(?:zult|zal|gaat) (?:je |jij )?(?:nog )?(?:wel )?zien wat er (?:gebeurt|gaat gebeuren|van komt)\b"),
    ("threat", r"\b(?:tijd dat iemand|iemand moet) (?:je|jou) (?:eens )?(?:een lesje|een lesje leert|aanpakt|op je plek zet|mores leert)\b|\been lesje (?:leren|leert|geven|geeft)\b"),
    ("threat", r"\b(?:doe|zal|ga) ik (?:je|jou) (?:iets|wat|pijn)\b(?! (?:moois|leuks|lekkers|toesturen|geven|brengen|sturen|vragen))"),
    ("threat", r"\b(?:jouw|je) (?:tijd|dag|beurt) komt (?:nog )?(?:wel|nog)\b"),
    ("threat", r"\b(?:ik|we)(?: %(ADV_NL)s){0,2} (?:steek|schiet|sla|trap|knal|mep) (?:die|dat|je|jouw) (?:%(W)s )?(?:%(PARTNER)s|vent|gozer|kerel|man|wijf|vriendje)(?: van (?:je|jou))? (?:neer|dood|in elkaar|kapot|verrot|lens)\b", {"neg": "span"}),
    ("threat", r"\b(?:ik|we) (?:zal|zullen|ga|gaan) (?:er ?voor |ervoor )?zorgen dat (?:je|jij) (?:%(W)s ){0,3}?(?:nooit meer|nergens meer|niks meer|niets meer|alles kwijt|kapot|ongelukkig)"),
    ("threat", r"\b(?:slaap|slaapt|sliep) (?:je|jij) (?:%(W)s ){0,2}?(?:goed|lekker|rustig|fijn) (?:in|op) (?:je|jouw) (?:nieuwe )?(?:huis|bed|flat|woning|kamer)\b(?=.*(?:\?|afgelegen|alleen|donker|eenzaam))"),
    ("threat", r"\b(?:je|jij) (?:hebt|heb) (?:geluk|mazzel) dat (?:ik|we)\b|\bwees (?:maar )?blij dat ik\b"),
    ("threat", r"\bkijk (?:maar )?(?:goed )?(?:achterom|over je schouder)\b"),
    ("threat", r"\b(?:ik|we) (?:sta|staan|ben|kom|zit|wacht)(?: %(W)s){0,3}? (?:in|bij|achter|aan) (?:je|jouw) (?:tuin|slaapkamer|achterdeur|schuur|raam)\b"),
    ("threat", r"\b(?:zal|zul|zult|ga|gaat) (?:je|jij) (?:het |dat |dit )?(?:nog |wel |heus |echt )*(?:bezuren|merken|voelen|berouwen|betreuren|bezorgen|spijt van krijgen|boeten)\b", {"neg": "inside"}),
    ("threat", r"\b(?:ik|we)(?: %(ADV_NL)s){0,2} (?:vermoord|wurg|mol) (?:die|dat|je|jouw) (?:%(W)s )?(?:%(PARTNER)s|vent|gozer|kerel|man|wijf|minnaar|vriendje)\b", {"neg": "span"}),
    ("threat", r"\b(?:ik|we)(?: %(ADV_NL)s){0,2} (?:mep|sla|trap|schop|ram|knal|beuk|stomp) (?:je|jou|hem|haar) (?:%(ADV_NL)s )*(?:voor|op|tegen|in) (?:je|jouw|zijn|haar) (?:kop|bek|smoel|hoofd|gezicht|muil|tanden|ballen)\b", {"neg": "span"}),
    ("threat", r"\b(?:dat|als) (?:ik|we) (?:je|jou) (?:%(ADV_NL)s )*(?:ga|zal|kom|wel|heus) (?:%(ADV_NL)s )*(?:vinden|pakken|krijgen|slaan|vermoorden|afmaken|kapotmaken|kapot maken|halen|opzoeken)\b", {"neg": "span"}),
    ("threat", r"\b(?:je|jij) bent (?:er )?(?:%(ADV_NL)s )*(?:er )?geweest\b|\breken (?:maar )?(?:dat|op) (?:ik|het)\b(?=.*\b(?:vinden|pakken|krijgen|merken|betalen|boeten)\b)"),
    ("threat", r"\bals ik (?:je|jou|hem|haar|jullie) (?:nog (?:een keer|eens|1 keer) |ooit |weer )?(?:zie|tegenkom|tegen kom|tegen het lijf loop|spreek|betrap)\b(?=.*\b(?:weet ik niet|dan|wat er gebeurt|gebeurt er)\b)"),
    ("threat", r"\b(?:ik|we)(?: %(W)s){0,4}? (?:iets|wat) (?:%(W)s ){0,3}?(?:waar|waarvan) (?:we|jij|je|wij) (?:allebei |allemaal |nog )?(?:spijt|berouw) (?:van )?(?:krijgen|krijgt|hebben|zullen)\b"),
    ("threat", r"\b(?:je|jij) (?:allemaal )?(?:nog )?te verliezen (?:hebt|heb|hebben)\b|\bwat (?:je|jij) (?:allemaal |nog )?(?:te verliezen|kwijt kan raken|kwijt kunt raken) (?:hebt|heb)\b"),
    ("threat", r"\bzien we (?:dan |wel |dan wel )*wie (?:er )?(?:gelijk heeft|de baas is|sterker is|wint|het laatste woord)\b"),
    ("threat", r"\b(?:foto|fotos|fotootjes|filmpjes|video|videos|berichten|screenshots|appjes|dingen)(?: %(W)s){0,6}? (?:je|jouw) (?:werkgever|baas|familie|moeder|collegas|werk|vrienden|%(PARTNER)s) (?:heel |erg |zeer )?(?:interessant|leuk|graag)\b|"
               r"\b(?:zet|gooi|deel|stuur|post|plaats|verspreid) (?:ik )?(?:alles|fotos|foto|berichten|dingen|het|dat) (?:van (?:jou|je) )?(?:%(W)s ){0,3}?(?:online|op internet|op facebook|op insta|rond|naar je (?:baas|werk|familie|werkgever))\b"),
    ("threat", r"\b(?:weet|weten) (?:niet|nog niet|geen idee) (?:met wie|wie) (?:hij|ze|zij|je|jij|jullie) (?:te maken )?(?:heeft|hebt|hebben|heb)\b|\bmet wie (?:hij|je|jij) te maken (?:heeft|hebt|krijgt)\b"),
    ("threat", r"\bniemand (?:zal|gaat|zou) (?:je|jou) (?:ooit )?missen\b|\bals (?:je|jij) er (?:straks )?niet meer bent\b"),
    ("threat", r"\b(?:breek|brak|sla|trap|knak) (?:ik|we) (?:je|jouw|zijn|haar|hun|die) (?:%(W)s )?(?:benen|been|armen|arm|nek|neus|kaak|kop|hoofd|tanden|schedel|ribben|vingers|poten)\b|\b(?:zijn|haar|je|jouw) (?:benen|armen|nek|neus|kaak|schedel|ribben) (?:breken|brijzelen)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:mes|messen|pistool|wapen|wapens|vuurwapen|knuppel|honkbalknuppel|bijl|hamer|boksbeugel)\b(?=.*\b(?:gebruiken|niet bang|voor jou|voor je|op je|meenemen|bij me|pakken|trekken|steken|klaar)\b)"),
    ("threat", r"\b(?:je|jouw|jullie) (?:het )?leven (?:%(W)s )?(?:heel |zo |erg |verschrikkelijk |flink )?(?:moeilijk|zwaar|zuur|lastig|kapot|ellendig|ondraaglijk) (?:maken|gaan maken)\b|\bhet leven (?:%(W)s )?(?:heel |zo |erg )?(?:moeilijk|zuur|zwaar|ondraaglijk) maken\b"),
    ("threat", r"\b(?:je|jij|jullie) (?:komt|komen|gaat|zal|zult) (?:hier|daar|er)? ?(?:niet goed|slecht|niet heelhuids|niet ongeschonden|niet levend) (?:uit|vanaf|van af)\b"),
    ("threat", r"\b(?:je|jij) (?:krijgt|zal krijgen|gaat krijgen) (?:nog )?(?:wat|iets|je verdiende loon|er een paar|klappen|een pak slaag|een lesje|een lesje geleerd)(?: (?:van me|van mij|terug))?\b(?! (?:mee|toegestuurd|voor je verjaardag|cadeau|van de school|van oma|van de juf))"),
    ("threat", r"\b(?:er )?(?:kan|kunnen|zal|zullen|gaan|gaat|kunnen er) (?:er )?(?:zo ?veel|zoveel|van alles|dingen|iets|wat|zomaar|nog) (?:%(W)s )?(?:gebeuren|misgaan|voorvallen)\b|\bgebeuren er dingen\b|\bhet zou zomaar kunnen dat (?:je|jouw|jij)\b"),
    ("threat", r"\b(?:zien|zult zien|gaat zien|zal zien) wat ik (?:allemaal )?(?:kan|ga doen|doe|kan doen|in huis heb)\b"),
    ("threat", r"\b(?:denk|dacht) (?:je|jij) (?:echt |nou |nu )?dat (?:je|jij) (?:hier |daar |nog )?(?:veilig|ongestoord|rustig) (?:bent|was|zit|woont)\b|\b(?:je|jij) bent (?:nergens|niet|nooit) (?:meer )?veilig\b"),
    ("threat", r"\b(?:achtervolgen|achtervolg|lastigvallen|stalken|opjagen)\b(?=.*\b(?:je|jou|jullie)\b)", {"neg": "inside"}),
    ("threat", r"\b(?:ervoor|er voor|daarvoor|hiervoor) (?:nog |wel |zwaar |flink )?(?:boeten|bloeden|betalen)\b"),
    ("threat", r"\bweet (?:ik|we) (?:je|jou|jullie) (?:wel |heus |altijd |overal )*(?:te vinden|wel te vinden)\b"),
    ("threat", r"\b(?:je|jij|u|jullie) (?:gaat|gaan|zult|zal|zullen) (?:hier |daar |er |dit |dat )?(?:nog |echt |heus |zwaar |flink |duur |wel )*(?:voor )?(?:boeten|bloeden|lijden|wensen dat|spijt krijgen|spijt van krijgen|het bezuren|huilen|janken|op je knieen)\b",
     {"neg": "inside"}),
    ("threat", r"\b(?:dan )?(?:zie|zul|zult|ga) (?:je|jij) (?:wel |nog |eens )*wat er (?:gebeurt|gaat gebeuren|zal gebeuren|van komt)\b|\ben (?:dan )?zie je wel\b"),
    ("threat", r"\b(?:er|iets|wat) (?:zal|gaat|kan) (?:er )?(?:%(W)s )?(?:iets |wat )?(?:gebeuren|misgaan|mis gaan)(?: met (?:je|jou|hem|haar|jouw %(W)s|je %(W)s))? (?:als|wanneer|zodra|met)\b|\bwat er (?:met (?:je|jou|hem|haar|jouw %(W)s|je %(W)s) )?(?:gaat )?gebeurt(?:en)? met (?:je|jou|jouw|hem|haar)\b"),
    ("threat", r"\b(?:let|kijk) (?:maar |jij maar )?(?:eens )?(?:goed )?(?:op|uit) wat er (?:met|gebeurt|gaat gebeuren)\b"),
    ("threat", r"\b(?:dit|het|dat) is (?:nog )?(?:lang )?niet (?:voorbij|afgelopen|klaar|over)\b|\bdenk (?:maar )?niet dat (?:dit|het|dat) (?:voorbij|over|afgelopen|klaar) is\b"),
    ("threat", r"\b(?:ben|bent) (?:je|jij) (?:nog )?(?:lang )?niet (?:klaar|van me af|van mij af)\b|\bik ben (?:nog )?(?:lang )?niet klaar met (?:je|jou)\b|\bje bent (?:nog )?niet van me af\b|\bje hebt (?:het laatste|nog niet het laatste) (?:nog niet )?van me gehoord\b"),
    ("threat", r"\b(?:je|jij) weet (?:toch |heus |best )?(?:hoe|wat) ik (?:ben|word|doe|kan) (?:als|wanneer)\b|\b(?:ga|daag|tart) me (?:niet|maar niet) (?:uitdagen|uit|tarten|testen)\b|\bdaag me niet uit\b|\btart me niet\b"),
    ("threat", r"\bik laat (?:je|jou|jullie) (?:niet|nooit|nooit meer) (?:met rust|gaan|los)\b|\bik blijf (?:je|jou) (?:achtervolgen|lastigvallen|opzoeken|volgen)\b|\bik zit je op de huid\b"),
    ("threat", r"\b(?:zorg(?:en)? (?:ik|we)|(?:ik|we) zorg(?:en)?|ik ga (?:er ?voor|ervoor) zorgen) (?:er ?voor|ervoor|er wel voor|wel)? ?dat (?:je|jij) (?:%(W)s ){0,3}?(?:nooit meer|nergens meer|niks meer|niets meer|alles kwijt|kapot|ellende|geen leven|ongelukkig)"),
    ("threat", r"\bik (?:wacht|sta) (?:je|jou|jullie) (?:%(W)s )?op\b(?! (?:het station|de hoek|het perron|schiphol|het vliegveld|de parkeerplaats))|\b(?:je|jou) (?:op|staan) (?:te )?wachten (?:bij|voor|na) (?:je|jouw|school|het werk|je werk)"),
    ("threat", r"\bals ik (?:jou|u) was\b(?=.*\b(?:alleen|straat|donker|s avonds|vanavond|vannacht|deur|slot|oppassen|uitkijken|opletten|verhuizen|weg)\b)|\b(?:alleen|straat|donker|s avonds|vanavond|vannacht|deur|slot)\b(?=.*\bals ik (?:jou|u) was\b)"),
    ("threat", r"\b(?:je|jij|u|dat|dit) (?:zult|zal|zul|gaat|ga|zullen|gaan) (?:je |jij )?(?:het |dat |dit )?(?:nog |wel |heus |echt )*"
               r"(?:merken|voelen|bezuren|bezorgen|berouwen|betreuren|terugkrijgen|weten)\b(?! (?:als|wanneer|zodra|aan|bij|dat|hoe|of|op)\b)",
     {"neg": "span"}),
    ("threat", r"\b(?:dat|dit) (?:ga|zal|zul) (?:je|jij) (?:nog |wel |heus )*(?:betalen|bezuren|bezorgen|berouwen|voelen|merken)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:dat|dit) (?:gaat|zal) (?:je|jou) (?:nog )?(?:berouwen|opbreken|duur komen te staan|spijten|zuur opbreken)\b"),
    ("threat", r"\bspijt (?:van )?(?:krijgen|gaan krijgen|zult krijgen|zal krijgen)\b|\b(?:je|jij) (?:krijgt|gaat|zult|zal) (?:hier |daar |er )?(?:nog )?spijt\b"),
    ("threat", r"\b(?:dit|dat|het) (?:loopt|gaat|zal|gaat het) (?:%(W)s )?(?:slecht|verkeerd|niet goed|niet best) (?:voor je |voor jou |met je |met jou )?(?:af|aflopen|eindigen|uit)\b"),
    ("threat", r"\bslecht (?:voor je |voor jou )?(?:af ?lopen|aflopen|eindigen)\b"),
    ("threat", r"\bwacht (?:jij |jullie )?(?:maar|maar eens|nou maar) (?:af|tot|totdat|eens|even af)\b|\bwacht maar(?= ?[.,!?]|$)|\bwacht jij maar\b"),
    ("threat", r"\b(?:let|pas) (?:jij |jullie )?(?:maar|nou maar|jij maar|maar goed|jij nou maar) op\b(?! (?:dat|met|bij|voor|of)\b)"),
    ("threat", r"\b(?:kijk|pas) (?:jij |jullie )?(?:maar |jij maar |maar goed |nou maar )?(?:uit|op) (?:wat|wie|met wie|hoe) (?:je|jij)\b"),
    ("threat", r"\bkijk (?:jij |maar |jij maar )?uit je doppen\b|\blet op je tellen\b|\bkijk (?:maar )?(?:goed )?uit(?= ?[.!]|$)"),
    ("threat", r"\b(?:moet|moeten|kan|mag) (?:maar |wel |heel |goed |heel goed |eens |nou )*(?:oppassen|uitkijken|opletten)\b(?! (?:dat|of|met|bij|voor|op)\b)"),
    ("threat", r"\bik zou (?:maar |goed |heel goed |wel |eens |nou )*(?:oppassen|uitkijken|opletten|nadenken|oppassen)\b(?! (?:dat|of|met|bij|op)\b)"),
    ("threat", r"\bals ik (?:jou|u) was(?: ,)? (?:zou ik |dan zou ik )?(?:%(W)s ){0,3}(?:oppassen|uitkijken|slot|deur|opletten|verhuizen|nadenken|uit de buurt)"),
    ("threat", r"\b(?:het|dat) zou (?:toch |wel |echt )?(?:jammer|zonde|vervelend|erg|sneu) zijn als (?:er |je |jou |jouw |je %(W)s )?(?:%(W)s ){0,3}(?:iets|wat|een ongeluk)"),
    ("threat", r"\bongelukje|\bongelukken (?:gebeuren|zijn snel gebeurd|zijn zo gebeurd)\b",
     {"unless": r"\b(?:geen zorgen|geeft niet|maakt niet uit|niet erg|geeft niks|maak je geen zorgen|gebroken|gemorst|morsen|geknoeid|plas|broek|bed)\b"}),
    ("threat", r"\b(?:je|jij|u) (?:weet|hebt|heb) (?:niet|geen idee|geen flauw idee|nog niet) (?:waartoe|wat) (?:ik|wij|we) (?:allemaal )?(?:in staat|kan|kunnen|ga doen|doe)"),
    ("threat", r"\b(?:je|jij) (?:hebt|weet) (?:geen idee|niet) wat (?:er )?(?:gaat|zal|kan) gebeuren\b|\bwat (?:je|jou) te wachten staat\b"),
    ("threat", r"\b(?:niks|niets|helemaal niks|helemaal niets) (?:meer )?te verliezen\b"),
    ("threat", r"\b(?:niemand|geen mens|geen hond) (?:zal|gaat|die) (?:je|jou|u)(?: %(W)s){0,2}? (?:geloven|gelooft)\b|\bniemand gelooft (?:je|jou|u)\b"),
    ("threat", r"\b(?:niemand|geen mens) (?:zal|gaat) (?:jou|je) (?:ooit )?geloven\b"),
    ("threat", r"\b(?:ik|we) (?:sta|staan|ben|kom|stap)(?: %(W)s){0,3}? (?:voor|bij|aan|onder) (?:je|jouw|jullie) (?:deur|voordeur|huis|raam|werk|woning)\b",
     {"unless": r"\b(?:ophalen|halen|brengen|afzetten|afleveren|overdracht|kinderen|kids|tas|spullen|om \d+|\d+ uur|\d+ : \d+|half \w+|kwart)\b"}),
    ("threat", r"\bslaap (?:maar |jij maar |lekker )?(?:met|met je) (?:een|1|één) oog open\b"),
    ("threat", r"\bwees (?:jij )?(?:maar )?blij dat (?:de kinderen|de kids|ze|er mensen|er getuigen|er anderen|je moeder|iedereen) (?:er ?bij|erbij|in de buurt)"),
    ("threat", r"\bik laat (?:je|jou) (?:niet )?(?:zomaar|zo maar|nooit|zo makkelijk|zo gemakkelijk) (?:gaan|los)\b"),
    ("threat", r"\b(?:dan )?weet ik niet (?:meer )?wat ik (?:ga |zal )?(?:doe|doen)\b|\bik sta (?:nergens|niet) (?:meer )?voor in\b|\bik sta niet in voor mezelf\b"),
    ("threat", r"\b(?:laatste|allerlaatste) waarschuwing\b|\b(?:je|jij|u) bent (?:nu )?gewaarschuwd\b|\bik waarschuw (?:je|jou) (?:nog|nu|voor)"),
    ("threat", r"\bnog (?:een|1|één|eenmaal|ene) (?:keer|x|bericht|zon bericht|zo een bericht|woord|zon \w+)(?: (?!uitleggen|zeggen|vragen|herhalen|proberen|uitgelegd|gezegd)%(W)s){0,3}? ,? ?(?:en|dan) (?:je|jij|ik)\b(?! (?:langzaam|rustig|duidelijk))",
     {"unless": r"\b(?:rechter|advocaat|politie|aangifte|jeugdzorg|mediator|begeleider|rechtbank)\b"}),
    ("threat", r"\b(?:ik bedreig (?:je|jou) niet|dit is geen (?:dreigement|bedreiging)|ik zeg niet dat (?:ik )?(?:je )?(?:%(W)s ){0,4}(?:doe|ga doen|aandoe))(?: ,)? (?:maar|gewoon)\b"),
    ("threat", r"\b(?:je )?moet niet denken dat (?:je|jij) (?:hier |daar |er )?(?:zomaar |gewoon )?(?:mee )?(?:wegkomt|weg komt|ongestraft)"),
    ("threat", r"\b(?:je|jij) (?:komt|gaat) (?:hier|daar|er) niet (?:zomaar |zo )?mee weg\b"),
    ("threat", r"\bals (?:je|jij) (?:met|naar) de politie (?:praat|gaat|stapt)\b"),
    ("threat", r"\bik (?:weet|ken) (?:mensen|jongens|types) die\b|\bik heb (?:vrienden|mensen|jongens) die (?:%(W)s ){0,3}(?:regelen|afrekenen|opzoeken|langskomen|weten)"),
    # ---------------------------------------------------------------- stalking, watching
    ("stalking", r"\b(?:ik|we) (?:weet|weten|ken) (?:welke|wat voor) (?:auto|fiets|route|sportschool) (?:je|jij)\b|\bwaar (?:je|jij) (?:hem |je auto )?parkeert\b"),
    ("stalking", r"\b(?:heb|las|lees) (?:ik )?(?:je|jouw|al je) (?:%(W)s )?(?:mails|berichten|appjes|whatsapps|sms|telefoon|chats|dm|dms)(?: %(W)s){0,2}? (?:gelezen|bekeken|doorgenomen|gezien)\b|\bik weet alles(?= ?[.!]|$)"),
    ("stalking", r"\bik laat (?:je|jou) (?:volgen|schaduwen|in de gaten houden|natrekken)\b"),
    ("stalking", r"\bik zie (?:alles|precies|alles wat|elke stap)(?: wat)? (?:je|jij)\b|\bik zie alles\b(?= ?[.,!]|$)"),
    ("stalking", r"\b(?:ken|weet|heb) (?:je|jouw) (?:werk)?(?:rooster|schema|routine|werktijden|diensten|dagindeling|gewoontes)\b"),
    ("stalking", r"\b(?:ik weet|ik ken|we weten) (?:dat |precies dat )?(?:je|jij) (?:%(W)s ){0,5}?(?:elke|iedere|altijd op|op) (?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ochtend|avond|middag|week|dag|nacht)\w*\b"),
    ("stalking", r"\b(?:rij|rijd|fiets|loop|kom|ga|reed|liep|fietste) (?:ik |we )?(?:%(W)s ){0,3}?(?:even |zo |vannacht |vanavond |straks )?(?:langs|voorbij) (?:je|jouw) (?:huis|woning|werk|deur|raam|flat|adres)\b",
     {"unless": r"\b(?:ophalen|halen|brengen|afzetten|afgeven|kinderen|kids|tas|spullen|jas|paspoort|formulier|om \d+|\d+ uur|\d+ : \d+)\b"}),
    ("stalking", r"\b(?:gezien|zag|gespot|betrapt)(?: %(W)s){0,5}? met (?:die|dat|je|jouw|een|hem|haar) (?:%(W)s ){0,2}?(?:gozer|vent|man|vriend|vriendin|vrouw|minnaar|scharrel|nieuwe|van je)\b|\bdacht (?:je )?dat ik (?:het|dat) niet (?:zou|ging) (?:merken|zien|weten|ontdekken)\b"),
    ("stalking", r"\b(?:ik|we) (?:weet|weten) (?:precies|exact|heel goed|allang|alles over) (?:hoe laat|wanneer|waar|met wie|bij wie) (?:je|jij|jullie)\b|\b(?:ik|we) (?:weet|weten) (?:met wie|bij wie) (?:je|jij)\b", {"neg": "span"}),
    ("stalking", r"\b(?:heb|zag|zie|gezien)(?: %(W)s){0,2}? (?:dat )?(?:je|jouw) auto\b|\b(?:je|jouw) auto (?:stond|staat|stond er|stond weer)(?: %(W)s){0,4}? (?:bij (?:hem|haar|zijn|die)|de hele nacht|voor (?:zijn|haar) deur)"),
    ("stalking", r"\b(?:ken|weet|heb|vond|vind) (?:je|jouw) (?:nieuwe )?adres (?:nu|inmiddels|intussen|allang|al|ook)\b|\b(?:je|jouw) (?:nieuwe )?adres (?:heb|weet|ken) ik (?:nu|inmiddels|intussen)"),
    ("stalking", r"\bweet(?: %(W)s){0,2}? waar (?:je|jij|jullie|u|hij|zij|ze|die %(W)s|je %(PARTNER)s|de kinderen|de kids) "
                 r"(?:nu )?(?:woont|wonen|werkt|werken|slaapt|slapen|uithangt|sport|verblijft|verblijven|zit|zitten|logeert|bent|zijn|school)\b",
     {"neg": "span"}),
    ("stalking", r"\bweet(?: %(W)s){0,2}? (?:precies |heel goed |allang )?(?:wanneer|hoe laat|met wie|bij wie|waar|hoe vaak) "
                 r"(?:je|jij|jullie|u) (?:%(W)s ){0,3}?(?:thuis|alleen|weg|klaar|vertrekt|vertrok|thuiskomt|thuiskwam|bent|was|slaapt|sliep|werkt|gaat|ging|woont)\b",
     {"neg": "span"}),
    ("stalking", r"\bweet(?: %(W)s){0,2}? (?:op|naar) welke school\b|\bweet(?: %(W)s){0,2}? (?:alles|veel|genoeg) (?:van|over) (?:je|jou)\b"),
    ("stalking", r"\b(?:hou|houd|houden) (?:je|jou|jullie) (?:goed |heel goed )?in de gaten\b", {"neg": "span"}),
    ("stalking", r"\bik (?:volg|volgde) (?:je|jou|alles wat je)\b|\bheb (?:je|jou) (?:gevolgd|zien lopen)\b"),
    ("stalking", r"\b(?:zag|zie|gezien|heb gezien) (?:je|jou)(?: %(W)s){0,3}? (?:met|samen met) (?:hem|haar|die|je %(PARTNER)s|een %(W)s)\b"),
    ("stalking", r"\b(?:stond|zat|was|ben|sta|zit)(?: %(W)s){0,3}? (?:bij|voor|onder|naast) (?:je|jouw) (?:raam|slaapkamer|huis|voordeur|deur|werk|auto)\b(?!.*\b(?:niemand|niet) (?:deed|was|thuis)\b)",
     {"unless": r"\b(?:ophalen|halen|brengen|kinderen|kids|tas|om \d+|\d+ uur)\b"}),
    ("stalking", r"\b(?:je|jij) (?:zag|had) (?:me|mij) niet(?: ?(?:eens|staan|door|gezien))?\b"),
    ("stalking", r"\b(?:foto|fotos|fotootje|filmpje) (?:%(W)s ){0,3}?(?:van )?(?:je|jouw) (?:nieuwe )?(?:huis|auto|straat|adres|woning|werk|flat|deur)\b"),
    ("stalking", r"\b(?:je|jouw) (?:nieuwe )?adres (?:heb|weet|ken|vond|vind|gevonden) (?:ik )?(?:al|allang|heus|wel|toch|gevonden)\b|"
                 r"\bik (?:heb|weet|ken) (?:je|jouw) (?:nieuwe )?adres (?:al|allang|heus|toch|gevonden|wel)\b"),
    ("stalking", r"\b(?:vriend|vriendin|broer|neef|maat|kennis|iemand)(?: %(W)s){0,2}? die (?:bij (?:jou|je)|naast (?:jou|je)|in (?:je|jouw) straat|tegenover (?:jou|je))\b"),
    ("stalking", r"\b(?:vertelt|vertellen|verteld) (?:me|mij) alles\b"),
    ("stalking", r"\b(?:je|jij) (?:liep|fietste|wandelde|reed|zat|stond|was) (?:er |daar )?(?:helemaal )?(?:alleen|in je eentje)\b"),
    # ---------------------------------------------------------------- insults
    ("insult", r"(?:^|[.,!?] )%(INSULT_STRONG)s(?= ?[.,!?]|$)"),                           # "klootzak." as a whole clause
    ("insult", r"\b(?:jij|je|u|jullie|vuile|vieze|stomme|domme|achterlijke|gore|smerige|kanker|tering|tyfus|vuil|vies|stom|dom|achterlijk|gestoorde|zielige|vals|valse|egoistisch|egoistische|luie|lui|gemene) %(INSULT_STRONG)s\b",
     {"neg": "before"}),
    ("insult", r"\b%(YOUARE_NL)s(?: %(W)s){0,3}? (?:een |zon |zo een |echt een |gewoon een )?(?:%(W)s )?%(INSULT_STRONG)s\b", {"neg": "before"}),
    ("insult", r"\b%(YOUARE_NL)s (?:echt |zo |gewoon |toch |zo ontzettend |zo verschrikkelijk |ontzettend |zwaar |echt zo |helemaal |wel |ook |nog )*%(INSULT_ADJ)s\b", {"neg": "before"}),
    ("insult", r"\bwat (?:ben (?:je|jij)|een) (?:toch |echt |ook )?(?:een |zon )?(?:%(W)s )?(?:%(INSULT_STRONG)s|%(INSULT_ADJ)s (?:man|vrouw|wijf|vent|mannetje|vrouwtje|figuur|mens|type|persoon|ouder|moeder|vader|kerel))\b(?:(?: %(W)s){0,2} (?:ben je|ben jij|jij bent|je bent))?"),
    ("insult", r"\b(?:je|jouw) %(PARTNER)s (?:is|blijft) (?:%(W)s ){0,2}?(?:een )?(?:%(W)s )?(?:%(INSULT_STRONG)s|%(INSULT_ADJ)s)\b", {"neg": "before"}),
    ("insult", r"\bwat voor %(INSULT_STRONG)s\b"),
    ("insult", r"(?:^|[.,!?] )(?:%(INSULT_ADJ)s|gestoorde|achterlijke|zielige|vuile|smerige) (?:gek|idioot|%(INSULT_STRONG)s)(?= ?[.,!?]|$)"),
    ("insult", r"(?:^|[.,!?] |\b(?:jij|je|een|zon|wat een|gewoon een|echt een|bent|ben) )(?:%(INSULT_ADJ)s|armzalige|manipulatieve|leugenachtige|gluiperige|jaloerse|hysterische|verbitterde|verwende|narcistische) (?:%(INSULT_ADJ)s |manipulatieve |leugenachtige )?"
               r"(?:vrouw|man|wijf|vent|zak|kerel|mens|figuur|type|heks|trut|gozer|mannetje|vrouwtje|zielepoot|kreng|teef|lul|klootzak|eikel|sloerie|slet|hoer|persoon|individu)\b", {"neg": "before"}),
    ("insult", r"\b%(YOUARE_NL)s(?: %(ADV_NL)s){0,2} (?:een|zon|zo een) (?:%(W)s )?%(INSULT_ADJ)s (?:mens|persoon|figuur|type|man|vrouw|wijf|vent|ouder|kerel|individu|creatuur|wezen|exemplaar|mannetje|vrouwtje|geval|iemand)\b", {"neg": "before"}),
    ("insult", r"\b%(INSULT_STRONG)s (?:als|zoals) (?:jij|jou|u)\b|\btypisch (?:iets )?(?:voor )?(?:een )?%(INSULT_STRONG)s\b"),
    ("insult", r"\b(?:jij|je) en (?:je|jouw) (?:%(W)s ){0,2}(?:zijn|blijven) (?:allemaal |allebei |gewoon |echt )*(?:een stel |een bende |)(?:tuig|uitschot|gespuis|%(INSULT_STRONG)s|%(INSULT_ADJ)s)\b"),
    ("insult", r"\b(?:tuig|uitschot|gespuis|schorem|stelletje %(INSULT_STRONG)s)\b"),
    ("insult", r"\b(?:niet (?:goed|helemaal) (?:bij je hoofd|bij je verstand|snik|wijs|lekker in je hoofd|spoort)|(?:je|jij) spoort niet|niet spoort)\b"),
    ("insult", r"\b(?:dom|domme|stom|stomme|vuil|vuile|vies|vieze|gore|smerig|smerige|achterlijk|achterlijke|vals|valse|lelijk|lelijke|dik|dikke|"
               r"gek|gekke|zielig|zielige|waardeloos|waardeloze|lui|luie|kut|klote|kanker|tering|tyfus|rot|vet|vette|oud|ouwe|gestoord|gestoorde|hysterisch|hysterische) "
               r"(?:wijf|wijven|mens|rund|koe|varken|zak|kreng|ding|vent|kind|gozer|mokkel|teef|trut|hoer|slet|lijer|mannetje|vrouwtje|takkewijf)\b",
     {"neg": "before"}),
    ("insult", r"\b%(INSULT_STRONG)s (?:dat je bent|die je bent|als je bent)\b"),
    ("insult", r"\b(?:rot|flikker|sodemieter|donder|pleur|kanker|tering|tyfus|hoepel|lazer|fiets|kras|tief) (?:toch |maar |nou |lekker |jij )*op\b"),
    ("insult", r"\boprotten\b|\boptiefen\b|\bopflikkeren\b|\bopsodemieteren\b|\bopdonderen\b|\boppleuren\b"),
    ("insult", r"\bkrijg (?:toch |jij |maar |allemaal |lekker )*(?:de |het )?(?:kanker|tering|tyfus|pleuris|klere|kolere|pest|klap|kolere)\b|\b(?:de|het) (?:tering|kanker|tyfus|pleuris|klere|pest) (?:krijgen|krijg)\b"),
    ("insult", r"\bval (?:toch |maar |lekker |gewoon )*dood\b|\bloop (?:toch |maar )*naar de (?:hel|duivel|maan)\b|\bga (?:toch |lekker |maar )*dood\b|\bik hoop dat (?:je|jij) (?:doodgaat|dood gaat|sterft|verrekt|creperen)"),
    ("insult", r"\bhou (?:je|jij je|jouw|nou je|toch je) (?:bek|kop|smoel|waffel|klep|muil|kankerbek|teringbek)\b|\b(?:kop|bek|smoel|waffel) dicht\b"),
    ("insult", r"\b(?:kankeren|kankert|zeik|zeiken) (?:niet|toch niet)\b|\bzeur niet\b"),
    ("insult", r"(?:🖕|🤬)"),
    ("insult", r"\b(?:je bent|jij bent|ben je|jij|je) (?:een |echt een |zon )?🤡"),
    # ---------------------------------------------------------------- contempt, demeaning as a parent
    ("contempt", r"\bmet zon (?:%(PARENT)s|ouder) (?:hebben|heeft) (?:de kinderen|ze|je) geen vijanden (?:meer )?nodig\b|\bgeen vijanden (?:meer )?nodig\b"),
    ("contempt", r"\b(?:hoort|hoor|zou|mag) (?:jij |je )?(?:niet|nooit) (?:eens )?(?:een )?(?:%(PARENT)s|ouder) (?:te )?(?:zijn|worden|mogen zijn|mogen worden)\b"),
    ("contempt", r"\bmedelijden met (?:de|mijn|onze|je) (?:kinderen|kids)\b|\b(?:slechtste|ergste) (?:voorbeeld|rolmodel)\b"),
    ("contempt", r"\bgeen wonder dat (?:je|jouw) (?:eigen )?(?:familie|vrienden|moeder|vader|ex|kinderen|collegas)\b"),
    ("contempt", r"\b(?:noem|noemt) (?:jij |je )?(?:jezelf|jij jezelf|je jezelf) (?:een )?(?:%(PARENT)s|ouder|man|vrouw|volwassene)\b|\blaat me niet lachen\b"),
    ("contempt", r"\b(?:schamen|schaamt|schaamden) (?:zich|zichzelf) (?:dood |kapot |rot )?(?:voor|om) (?:jou|je)\b"),
    ("contempt", r"\b(?:niemand|geen mens|geen hond) (?:neemt|nam|zal) (?:jou|je) (?:nog )?(?:serieus|au serieux)\b"),
    ("contempt", r"\b(?:je|jij) (?:kan|kunt) (?:echt |ook |gewoon |helemaal |ook gewoon )*(?:niks|niets)(?= ?[.,!]|$| helemaal| maar dan ook)"),
    ("contempt", r"\bik schaam me (?:dood |kapot |rot )?(?:dat|voor) (?:jij|je|jou)\b|\b(?:niet|nooit) waard (?:om )?(?:%(W)s ){0,2}?(?:%(PARENT)s|ouder) (?:te )?(?:genoemd|heten|zijn)\b|\bhet niet waard (?:om )?(?:%(PARENT)s|ouder)"),
    ("contempt", r"\b(?:een|elke|iedere) (?:goede|echte|normale|fatsoenlijke|zorgzame) %(PARENT)s (?:zou|doet|had|laat|komt|betaalt|weet)\b"),
    ("contempt", r"\b(?:jij bent|je bent|ben jij) (?:natuurlijk |toch |ook |wel )*(?:de|een) (?:perfecte|ideale|geweldige|heilige|voorbeeldige|super) %(PARENT)s\b(?=.*(?:🙄|natuurlijk|tuurlijk|lachwekkend|belachelijk|haha|lol|not\b))|\blachwekkend\b"),
    ("contempt", r"\b(?:verdienen|verdient|verdiende|verdienden) (?:een )?(?:betere|echte|andere|normale) %(PARENT)s\b"),
    ("contempt", r"\bhet (?:slechtste|ergste|allerslechtste|allerergste) (?:wat|dat) (?:de |mijn |onze |je )?(?:kinderen|kids|hen|ze|mij|ons)\b"),
    ("contempt", r"\bschaam (?:je|jij) je (?:niet|eigenlijk niet|helemaal niet|dan niet)\b|\b(?:je|jij) bent (?:echt )?(?:een )?(?:schande|aanfluiting)\b"),
    ("contempt", r"\b(?:slechte|slechtste|ergste|waardeloze|belabberde|verschrikkelijke|vreselijke|zielige|luie|egoistische|onverantwoordelijke|armzalige|patetische|"
                 r"afwezige|nep|zogenaamde|zgn|onbetrouwbare|kutmoeder|kutvader|rot|kut|lamme|halve|deeltijd|parttime|"
                 r"mislukte|waardeloos|slecht) ?%(PARENT)s\b", {"neg": "before"}),
    ("contempt", r"\b(?:je bent|jij bent|ben jij|u bent) (?:echt |gewoon |toch )?(?:geen|niet eens een|nooit een) (?:echte |goede |normale |fatsoenlijke )?%(PARENT)s\b"),
    ("contempt", r"\bwat voor (?:een )?(?:%(PARENT)s|mens|iemand|persoon|soort %(PARENT)s)\b(?: %(W)s){0,2} (?:ben je|ben jij|je was|jij was|je bent|jij bent|is dat|was je)\b"),
    ("contempt", r"\bwat ben (?:jij|je) (?:voor )?(?:een |eigenlijk voor een |voor een )?(?:%(PARENT)s|mens)\b"),
    ("contempt", r"\b(?:%(PARENT)s|ouder) van het jaar\b"),
    ("contempt", r"\becht(?:e)? (?:%(PARENT)ss?|vaders|moeders|ouders|mannen|vrouwen) (?:komen|doen|zouden|betalen|zijn|laten|zorgen|gaan|nemen|vergeten)\b"),
    ("contempt", r"\bals (?:je|jij) een (?:echte|goede|normale) %(PARENT)s (?:was|bent|zou zijn)\b"),
    ("contempt", r"\b(?:schande|aanfluiting|lachertje|grap|mislukking) (?:als|voor) (?:%(PARENT)s|ouder|mens)\b|\bals %(PARENT)s (?:ben je |ben jij |heb je |heb jij )?(?:compleet |totaal |volledig |echt |gewoon )?(?:mislukt|gefaald|een schande|een grap|een aanfluiting|waardeloos|niks waard)\b"),
    ("contempt", r"\b(?:je|jij) (?:verdient|verdiende) (?:de|je|jouw|onze|mijn) (?:kinderen|kids|zoon|dochter) (?:niet|eigenlijk niet)\b|\b(?:je|jij) verdient ze niet\b"),
    ("contempt", r"\b(?:de |onze |mijn |je )?(?:kinderen|kids|ze|hij|zij) (?:zijn|is|zouden|zou|waren|zijn echt) (?:%(W)s )?beter af zonder (?:je|jou)\b"),
    ("contempt", r"\bgeen wonder dat (?:de kinderen|de kids|ze|je kinderen|hij|zij|je %(PARTNER)s|iedereen|niemand)\b"),
    ("contempt", r"\b(?:je|jij) (?:kan|kunt) (?:nog )?niet eens (?:voor|een|je eigen|op)\b|\blaat staan (?:voor )?(?:kinderen|de kinderen|een kind|kids)\b"),
    ("contempt", r"\b(?:je|jij) stelt (?:echt |helemaal |gewoon |als %(PARENT)s |toch )*(?:niks|niets|geen ene moer|geen reet|geen zak) voor\b"),
    ("contempt", r"\bik walg van (?:je|jou)\b|\b(?:je|jij) walgt me\b|\bwalgelijk (?:ben je|mens|wijf|figuur)\b|\bik schaam me (?:dood )?voor (?:je|jou)\b"),
    ("contempt", r"\bschaam (?:je|jij je) (?:toch|maar|eens|kapot|dood)?\b|\b(?:je moest|je zou|jij zou|jij moest) je (?:moeten |eens )?(?:diep )?schamen\b"),
    ("contempt", r"\b(?:je|jij) bent (?:echt |gewoon |helemaal )?(?:niks|niets|nul|geen knip voor de neus) (?:waard)?\b(?! (?:mis|aan de hand|veranderd|vergeten)\b)"),
    ("contempt", r"\b(?:iedereen|heel de school|de hele school|de buren|het hele dorp|iedereen op school|de juf|de meester) (?:%(W)s )?(?:lacht|lachen) (?:om|je uit|jou uit|om jou)\b"),
    ("contempt", r"\bzielige vertoning\b|\bzielig figuur\b|\bsneu figuur\b|\bzielig mannetje\b|\bzielig vrouwtje\b|\bsneue (?:man|vrouw|vent)\b|\bwat een (?:zielig|sneu|triest) (?:figuur|mens|type|geval)\b"),
    ("contempt", r"\bzelfs (?:je|jouw) eigen (?:moeder|vader|familie|kinderen|vrienden|broer|zus)\b"),
    ("contempt", r"\bals (?:je|jij) (?:echt|werkelijk|ook maar een beetje|oprecht) (?:van (?:ze|hen|de kinderen|je kinderen|hun) hield|van (?:ze|hen|de kinderen|je kinderen) (?:houdt|zou houden))\b"),
    ("contempt", r"\bga (?:maar |lekker |toch )?(?:huilen|janken|zeuren|uithuilen) (?:bij|naar)\b|\bmammie\b|\bmoederskindje\b|\bmama(?:s)? kindje\b"),
    ("contempt", r"\b(?:zullen|gaan) (?:ze |de kinderen )?(?:%(W)s )?(?:zien|weten|begrijpen) wat voor (?:een )?(?:%(PARENT)s|iemand|mens) (?:je|jij) (?:was|bent|bent geweest)\b"),
    ("contempt", r"\bwat is er (?:in godsnaam |verdomme |godverdomme )?(?:mis met|aan de hand met) (?:je|jou)\b|\bben je nou helemaal\b"),
    # ---------------------------------------------------------------- pressure through the child
    ("child_pressure", r"\b(?:geef|stuur|doe) (?:ik )?(?:de|het|een|die) (?:rekening|aanmaning|briefje|brief|envelop) (?:wel |gewoon |maar )*(?:aan|met) (?:%(W)s) mee\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze|hij|zij) (?:zeggen|zegt|vinden|vindt|zei|zeiden) (?:dat )?(?:ze |hij |zij )?(?:jou|je) (?:%(W)s )?(?:eng|stom|gemeen|raar|niet aardig|vervelend|saai|vreselijk|niet leuk)\b"),
    ("child_pressure", r"\b(?:niet|nooit) meer (?:naar|bij) (?:je|jou) (?:toe )?(?:willen|wil|gaan|komen|mogen)\b"),
    ("child_pressure", r"\b(?:laat|liet|laten|heb|heeft) (?:ik )?(?:ze|de kinderen|de kids|hen|%(W)s) (?:alles|de berichten|je berichten|jouw berichten|de appjes|alle berichten|de brief|de mails) (?:%(ADV_NL)s )*(?:laten )?(?:lezen|zien|horen)\b"),
    ("child_pressure", r"\blaat (?:%(W)s) (?:het )?(?:zelf |maar |dan |gewoon )*(?:tegen|aan) (?:jou|je) (?:zeggen|vertellen|vragen|uitleggen)\b"),
    ("child_pressure", r"\b(?:vertel|leg|zeg) (?:het |dat )?(?:de kinderen|de kids|ze|hen|het de kinderen) (?:dan |maar |zelf |dan maar |maar zelf |zelf maar )*(?:uit )?(?:waarom|hoe|dat) (?:je|jij)\b"),
    ("child_pressure", r"\b(?:%(W)s) (?:zegt|zei|zeggen|zeiden|vertelde|vertelt) (?:me |mij )?(?:dat )?(?:ze|hij|zij) (?:%(W)s )?(?:bang|angstig|niet veilig|onveilig|verdrietig|ongelukkig) (?:is|was|zijn|voelt|wordt)?(?: %(W)s){0,3}? (?:bij (?:jou|je)|van (?:jou|je)|voor (?:jou|je))\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze|hij|zij) (?:hebben|heeft) (?:heus |echt |zelf |wel )*(?:gezien|gemerkt|meegemaakt|gehoord) (?:hoe|wat) (?:jij|je)\b"),
    ("child_pressure", r"\b(?:zeg|vertel) (?:het |dat |jij |maar |het maar |dan maar )*(?:tegen|aan) (?:papa|mama|pappa|mamma|pap|mam)\b"),
    ("child_pressure", r"\b(?:(?:ik heb|heb ik|ik ga|ga ik|ik zal|zal ik|ik) (?:%(ADV_NL)s )*(?!(?:oma|opa|de juf|juf|meester|de school|school|dokter|de dokter|mediator|de mediator|begeleider|de begeleider|advocaat|mijn advocaat|werk|baas|mijn baas|moeder|vader|mijn moeder|mijn vader)\b)(?:de kinderen|de kids|ze|hen|%(W)s) (?:%(ADV_NL)s )*(?:verteld|gezegd|uitgelegd|laten weten|vertellen|zeggen|uitleggen)|(?:gezegd|verteld|uitgelegd|laten weten|vertellen|zeggen|uitleggen) (?:tegen|aan) (?!(?:oma|opa|de juf|juf|meester|de school|school|dokter|de dokter|mediator|de mediator|begeleider|de begeleider|advocaat|mijn advocaat|werk|baas|mijn baas|moeder|vader|mijn moeder|mijn vader)\b)(?:de kinderen|de kids|ze|hen|%(W)s)|(?:tegen|aan) (?!(?:oma|opa|de juf|juf|meester|school|dokter|mediator|begeleider|advocaat|mijn)\b)(?:de kinderen|de kids|ze|hen|%(W)s) (?:gezegd|verteld|uitgelegd|laten weten)) dat (?:papa|mama|hun %(PARENT)s|haar %(PARENT)s|zijn %(PARENT)s|je|jij)(?: %(W)s){0,8}? "
                       r"(?:liever|niet|nooit|geen|weg|schuld|kapot|liegt|vreemd|niks|niets|stappen|drinkt|zuipt|steek|verlaten|haat|verraden|bedrogen|te druk|nieuwe vriend|nieuwe vriendin|geen tijd)\b",
     {"unless": r"\b(?:allebei|van ze houden|van je houden|niet (?:hun|jouw) schuld|trots)\b"}),
    ("child_pressure", r"\b(?:laat|laten) (?:%(W)s) (?:het )?(?:maar |zelf |gerust )*(?:aan|van) (?:je|jou) (?:vragen|horen) waarom\b|\b(?:aan|van) (?:jou|je) vragen waarom (?:je|jij)\b"),
    ("child_pressure", r"\b(?:vroeg|vraagt|vroegen|vragen) (?:me |mij |ons )?(?:of|waarom) (?:papa|mama|pappa|mamma|hun %(PARENT)s|haar %(PARENT)s|zijn %(PARENT)s) (?:%(W)s ){0,4}?(?:niet|nooit|geen|meer|liegt|weg|boos|liever)\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze|hij|zij|[a-z]+) (?:zeggen|zei|zeiden|zegt|vinden|vindt|vonden) (?:zelf |ook |steeds |elke keer )*(?:dat )?(?:ze |hij |zij )?(?:het )?(?:bij|van|aan) (?:jou|je) (?:%(W)s )?(?:vreselijk|verschrikkelijk|stom|saai|eng|rot|niet leuk|niks aan|haten|kut|erg|naar)\b"),
    ("child_pressure", r"\b(?:zeg|vertel|vraag) (?:jij |dan |het |maar |het maar |dat |dat maar |dit )*(?:tegen|aan) (?:je|jouw|jullie) %(PARENT)s\b"),
    ("child_pressure", r"\b(?:kinderen|kids|ze|hij|zij|%(W)s) (?:willen|wil) (?:jou|je|u) (?:%(W)s )?(?:niet meer|nooit meer|niet) (?:zien|spreken|bellen|horen)\b"),
    ("child_pressure", r"\b(?:kinderen|kids|ze|hij|zij) (?:willen|wil|wilden|wilde) (?:%(W)s )?(?:niet meer|nooit meer) (?:naar|bij) (?:jou|je|u)\b"),
    ("child_pressure", r"\b(?:wil|willen) (?:zelf )?(?:jou|je) niet (?:meer )?(?:zien|spreken)\b|\bniet meer (?:bij (?:jou|je)|naar (?:jou|je)) (?:wil|willen)\b|"
                       r"\b(?:jou|je) (?:niet|nooit) meer (?:wil|willen|wilde|wilden) (?:zien|spreken|bellen|horen)\b"),
    ("child_pressure", r"\b(?:huilt|huilen|huilde|huilden|schreeuwt|gilt|jankt)(?: %(W)s){0,2} (?:elke|iedere|altijd|steeds|telkens)(?: keer)? (?:als|wanneer|voordat) (?:ze|hij|zij|de kinderen) (?:%(W)s )?(?:naar|bij) (?:jou|je)\b"),
    ("child_pressure", r"\bzelfs (?:%(KIDS)s|[a-z]+) (?:zegt|zei|zeggen|vindt|vond|vinden|weet|ziet|snapt) (?:al |ook |zelf )*(?:dat )?(?:je|jij|jou|mama|papa)\b"),
    ("child_pressure", r"\bzelfs (?:de kinderen|de kids|je kinderen|je eigen kinderen|je zoon|je dochter)\b"),
    ("child_pressure", r"\b(?:ik|we) (?:vertel|zeg|leg|laat) (?:het |dat |dit )?(?:de kinderen|ze|hen|de kids|het de kinderen)(?: %(ADV_NL)s){0,3} (?:%(W)s )?(?:wat voor|hoe (?:je|jij)|wat (?:je|jij)|dat (?:jij|je|papa|mama) )"),
    ("child_pressure", r"\btegen (?:de kinderen|de kids|ze) zeg ik (?:gewoon |wel |dan |maar )*(?:dat )?(?:papa|mama|jij|je|hun %(PARENT)s)\b"),
    ("child_pressure", r"\b(?:ik )?heb (?:de kinderen|ze|hen|de kids) (?:%(W)s )?(?:verteld|gezegd|uitgelegd) dat (?:jij|je|papa|mama|hun %(PARENT)s)(?: %(W)s){0,6}? "
                       r"(?:kapot|schuld|weg|liegt|loog|gelogen|niet|geen|verlaten|vreemd|vreemdgegaan|nooit|altijd|gestolen|slecht|gek|ziek|alcoholist|drinkt|verslaafd)\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze|hij|zij) (?:mogen|moeten|mag|moet) (?:het|dat) (?:ook |gewoon |best |maar )*weten\b|\b(?:de kinderen|de kids) weten (?:dat |het )?(?:heus |ook |best |allang |wel |echt |precies )+"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze) weten (?:heus |ook |best |allang |wel |echt |precies )*(?:wat voor|hoe (?:je|jij)|wat (?:je|jij) (?:gedaan|doet))"),
    ("child_pressure", r"\bik laat (?:de kinderen|ze|de kids|hen) (?:wel |gewoon |maar )*(?:zien|lezen|weten) (?:hoe|wat|wie) (?:je|jij)\b"),
    ("child_pressure", r"\b(?:geef|stuur|doe) (?:ik )?(?:%(W)s )?(?:het |de |een |dat |die )?(?:briefje|brief|bericht|envelop|rekening|rekeningen|aanmaning|papieren|boodschap) (?:%(W)s )?(?:wel |gewoon |maar )*mee\b"),
    ("child_pressure", r"\b(?:%(W)s) (?:moet|kan|mag|moeten|kunnen) (?:het |dat )?(?:maar |wel |zelf )*(?:aan|van) (?:jou|je) (?:vragen|horen) waarom\b|\bvraag (?:het )?(?:maar |dan maar |zelf )*aan (?:%(W)s) waarom\b"),
    ("child_pressure", r"\bvraagt (?:me |mij )?(?:steeds |telkens |vaak |elke dag )?waarom (?:mama|papa|jij|je|haar %(PARENT)s|zijn %(PARENT)s) (?:altijd|nooit|steeds|zo|niet|weer|liegt|drinkt|schreeuwt)\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze|hij|zij) (?:zijn|is|worden|werd|waren) (?:%(W)s )?bang (?:voor|van) (?:je|jou)\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze|hij|zij) (?:zijn|is|willen|wil|blijven|blijft|wonen|woont) (?:veel |toch |gewoon )?liever bij mij\b"),
    ("child_pressure", r"\b(?:de kinderen|de kids|ze) (?:vinden|noemen) (?:jou|je) (?:%(W)s )?(?:stom|saai|eng|raar|gek|een %(W)s|niet leuk|vervelend)\b"),
    ("child_pressure", r"\b(?:zeg|vertel) (?:het )?(?:maar |dan maar |het maar )*(?:zelf )?tegen (?:de kinderen|de kids|ze) (?:waarom|dat (?:je|jij))\b"),
    # ---------------------------------------------------------------- blame
    ("blame", r"\bgeen (?:smoesjes|smoezen|excuses|uitvluchten) meer\b|\bgeen enkele (?:afspraak|belofte)\b"),
    ("blame", r"\bwaarom moet ik (?:alles |het |weer |altijd |steeds )+\w+|\b(?:alles )?op mij (?:af te schuiven|afschuiven|schuiven|afwentelen)\b"),
    ("blame", r"\b(?:ziek|gewond|vies|hongerig|moe|kapot) (?:%(W)s ){0,2}?(?:teruggekomen|thuisgekomen|terug|thuis) (?:gekomen )?(?:van|bij) (?:jou|je)\b|\bna de deadline\b"),
    ("blame", r"\b(?:tweede|derde|vierde|vijfde|zesde|zoveelste|tiende) keer (?:deze|dit|in een|vandaag|op rij)\b"),
    ("blame", r"\bmaar er gebeurt (?:niks|niets|nooit iets)\b|\bzo gaat het (?:nu )?al (?:maanden|weken|jaren)\b"),
    ("blame", r"\b(?:telkens|elke keer|iedere keer|steeds|altijd|weer) (?:%(W)s )?hetzelfde (?:liedje|verhaal|gedoe|riedeltje|spelletje)\b|\bhetzelfde liedje\b"),
    ("blame", r"\b(?:ongelooflijk|onvoorstelbaar|onbegrijpelijk|belachelijk|schandalig|te gek voor woorden) (?:dat|hoe) (?:je|jij)\b|\b(?:nu|nou) pas (?:meldt|zegt|laat weten|vertelt|hoor)\b"),
    ("blame", r"\b(?:je|jij) (?:hebt|heb|laat|liet|bent) (?:%(W)s ){0,5}?(?:alweer|weer eens|opnieuw|wederom)\b|\b(?:weer|alweer) geen (?:alimentatie|geld|betaling|bericht|reactie|jas)\b"),
    ("blame", r"\b(?:weer|alweer|nog|zon|zo een) (?:een )?(?:smoes|smoesje|uitvlucht|excuus|verhaaltje)\b|\bverbaast me (?:niks|niets)\b|\bwat had ik (?:anders |dan |ook )*verwacht\b"),
    ("blame", r"\b(?:had|hadden) (?:je|jij|jullie) (?:%(W)s ){0,4}?moeten (?:zeggen|melden|vertellen|laten weten|regelen|doen)\b|\bwaarom hoor ik (?:dit|dat|het) (?:pas )?nu\b"),
    ("blame", r"\b(?:spelletje|spelletjes|toneelstukje|gedoe|drama|gezeur|gezeik|gejank|gezanik) van (?:je|jou)\b|\bdit spelletje\b"),
    ("blame", r"\b(?:dat|dit|het) (?:bepaal|beslis|bepaalt|beslist) (?:jij|je) niet\b|\b(?:jij|je) (?:hebt|heb) (?:hier )?(?:niks|niets) (?:te )?(?:zeggen|bepalen|beslissen)\b"),
    ("blame", r"\b(?:alles|echt alles|werkelijk alles) (?:om|om het) (?:mij|me|mijn leven|het mij|het me) (?:%(W)s )?(?:moeilijk|lastig|zuur|onmogelijk)\b|\bzo kan het niet (?:langer|meer|verder)\b"),
    ("blame", r"\bhou (?:nou |toch |eens )?op met (?:dat|je|jouw|dit|al dat) (?:%(W)s )?(?:gezeur|gezeik|gejank|gezanik|gedoe|gezever|geklaag|drama|spelletje)\b"),
    ("blame", r"\b(?:het is |is het |dat is |dit is |alles is |allemaal )?(?:jouw|je eigen|uw) (?:eigen )?schuld\b"),
    ("blame", r"(?:^|[.,!?] |\b(?:komt|kwam|allemaal|alleen|juist|puur|gewoon|is|was|mede|enkel) )(?:door|dankzij) (?:jou|jouw %(W)s|jullie|jouw gedrag|jouw gedoe)\b(?! (?:hebben we|heb ik|konden|kon|kunnen|was het|is het) (?:een |zo )?(?:leuke|fijne|mooie|leuk|fijn|mooi|gezellig))"),
    ("blame", r"\b(?:dankzij|door) (?:jou|jouw %(W)s)(?: %(W)s){0,2}? (?:mis|mist|miste|misten|kan|kon|kunnen|moet|moeten|moest|zit|zitten|zat|ben|is|zijn) (?:%(W)s )?(?:weer|niet|nu|te laat|opnieuw|helemaal)\b"),
    ("blame", r"\b(?:jij|je) (?:bent|was) (?:degene|diegene|de enige|juist degene) die\b|\bjij begon\b|\bjij bent begonnen\b"),
    ("blame", r"\b(?:hebt|heb|heeft) (?:het |alles |de boel )?(?:weer |alweer |opnieuw |echt |helemaal )*(?:verpest|verziekt|vergald|kapotgemaakt|verknald|verkloot|verneukt)\b|\bverpest (?:het|alles|de boel)\b"),
    ("blame", r"\b(?:weer|alweer|opnieuw|wederom|nu weer|ook weer) (?:eens )?(?:te laat|vergeten|afgezegd|niet betaald|niks|niets|geen)\b|\bte laat weer\b"),
    ("blame", r"\btypisch(?: jij| weer| hoor)?(?= ?[.!?,]|$)|\bzoals (?:gewoonlijk|altijd|verwacht|gebruikelijk)\b|\b(?:weer|alweer) zon typisch\b"),
    ("blame", r"\b(?:je|jij) (?:houdt|hield|hebt) (?:je )?(?:ook |weer |toch |alweer )*(?:nooit |niet |nergens )(?:aan (?:de |je |onze )?(?:afspraken|afspraak|woord)|aan)\b"),
    ("blame", r"\bals (?:jij|je) (?:je )?(?:zaken|leven|boel|shit|rommel|administratie|agenda) (?:op orde|op een rij|voor elkaar) (?:had|hebt|zou hebben)\b"),
    ("blame", r"\b(?:wacht|wachten) (?:ik |we )?(?:nog steeds|nog altijd|al %(W)s (?:weken|dagen|maanden))\b|\bnog steeds niet (?:betaald|overgemaakt|gedaan|ontvangen|gereageerd|getekend)\b"),
    ("blame", r"\bwaar is (?:het|dat|het geld) (?:dan|nou|gebleven)\b|\b(?:je|jij) (?:had|hebt) (?:toch )?beloofd\b|\bjij hebt toch beloofd\b"),
    ("blame", r"\b(?:je|jij) (?:luistert|hoort|leest) (?:ook |gewoon |echt |weer )*(?:nooit|niet|nooit eens)\b"),
    ("blame", r"\b(?:je|jij) denkt (?:ook |altijd |toch |echt )*(?:alleen|enkel) (?:maar )?aan (?:jezelf|je eigen)\b"),
    ("blame", r"\bligt (?:natuurlijk |toch |weer |ook )*aan (?:iedereen|alles) (?:behalve|maar niet aan) (?:jou|jezelf)\b"),
    ("blame", r"\b(?:dit|dat|het) gebeurt (?:steeds|altijd|elke keer|weer|telkens|alleen) (?:%(W)s )?(?:bij|met|door) (?:jou|je|jullie)\b"),
    ("blame", r"\b(?:je|jij) (?:hebt|heb) (?:mijn|ons|het) (?:%(W)s )?(?:weer|alweer) (?:ingepland|volgepland|bezet|geclaimd|afgepakt|ingepikt)\b|\bdat gaat zo niet\b"),
    ("blame", r"\been (?:keer|keertje) aan (?:je|jouw) woord\b|\b(?:je|jouw) (?:smoesjes|smoezen|excuses|uitvluchten|gezeur|gezeik|gejank)\b"),
    ("blame", r"\bik (?:ben|word) (?:het|je|jou|dit|jouw %(W)s) (?:echt |helemaal |zo |spuugzat |kotsbeu |meer dan )*(?:zat|beu|spuugzat|kotsbeu)\b|\bik ben (?:er )?klaar mee\b|\bik heb het (?:helemaal )?(?:gehad|zat)\b"),
    ("blame", r"\b(?:je|jij) (?:vergeet|vergat|bent %(W)s vergeten) (?:weer|alweer|ook|altijd|steeds)?\b.*\b(?:eigen|weer|alweer)\b|\bvan je eigen (?:dochter|zoon|kind)\b"),
    ("blame", r"\bom de haverklap\b|\bvoor de (?:zoveelste|honderdste|duizendste) keer (?:te laat|niet|vergeten|afgezegd)"),
    ("blame", r"\b(?:nou |nu )?eindelijk (?:eens |een keer )\w|\bkan (?:je|jij) nou (?:eens |eindelijk )"),
    ("blame", r"\bjij (?:doet|deed) (?:toch |gewoon |altijd |maar )*(?:precies |gewoon )?wat (?:je|jij) (?:zelf )?(?:wil|wilt|leuk vindt|uitkomt)\b|\bje doet (?:maar|toch maar) wat je wil"),
    ("blame", r"\bwaarom (?:moet|moeten|gaat|gaan) (?:alles|het altijd|het weer|alles altijd)\b"),
    # ---------------------------------------------------------------- sarcasm
    ("sarcasm", r"\b(?:top|super|geweldige|perfecte|briljante|fantastische) (?:planning|organisatie|timing|regeling) (?:weer|hoor|zeg|alweer)\b|\b(?:o|oh) ja ,? want (?:jij|je)\b"),
    ("sarcasm", r"\b(?:fijn|leuk|mooi|goh) (?:hoor |zeg )?dat ik (?:ook )?(?:nog )?(?:eens|een keer|eindelijk|ook eens) (?:iets|wat)\b|\bapplaus(?: voor)?\b"),
    ("sarcasm", r"\b(?:echt )?(?:knap|bijzonder|fascinerend|ongelofelijk|geweldig) (?:hoe|dat) (?:jij|je) (?:het )?(?:%(W)s )?(?:elke keer|telkens|steeds|altijd|weer)\b"),
    ("sarcasm", r"\b(?:leuk|fijn|heerlijk|top|prima|mooi) (?:hoor|zeg)? ?,? dat ik (?:dit|dat|het) (?:via|van|uit) (?:%(W)s ){0,2}(?:moet|mag) (?:horen|lezen|vernemen|weten)\b|\bverrassend(?= ?[.!]|$)|\bhoe verrassend\b"),
    ("sarcasm", r"\bwat (?:attent|aardig|lief|sociaal|fijn|netjes) van (?:je|jou)(?: %(W)s){0,3}? (?:ook eens|eindelijk|nu pas|een keer|om ook)\b"),
    ("sarcasm", r"\b(?:super|top|fijn|geweldig|leuk|heerlijk|prachtig|lekker) (?:hoor |zeg )?dat (?:je|jij) (?:weer|alweer|weer eens|ook eens|eindelijk|nu pas)\b"),
    ("sarcasm", r"\b(?:bedankt|dank je|dankjewel|fijn|super|top|leuk|thanks|great|lovely)\b[^.!?]{0,40}(?:\.\.\.|\.|,)? ?not(?= ?[.!]|$)"),
    ("sarcasm", r"(?:🙄|😒|🙃(?= ?(?:[.!?]|$))(?!.*(?:leuk|fijn|goed|lief|all good)))"),
    ("sarcasm", r"(?:^|[.,!?] )ja (?:ja|hoor|hoor ja)\b(?! (?:dat is goed|prima|graag|leuk|fijn|is goed|dat mag|hoor dat))|\bja tuurlijk(?: joh)?(?= ?[.,!?]|$)(?! (?:mag|kan|is goed|doe ik))|\btuurlijk(?: joh)?(?= ?[.,])(?! (?:mag|kan|prima|is goed|graag|doe ik|geen probleem|leuk|ik))"),
    ("sarcasm", r"\bhet zal (?:wel|best)(?= ?[.,!?]|$)|\bzal wel(?= ?[.!]|$)|\bja ja(?= ?[.,!?]|$)"),
    ("sarcasm", r"\bwat een verrassing\b|\bgoh(?: ,)? wat (?:een )?(?:verrassing|fijn|leuk|knap)\b|\bhoe verrassend\b"),
    ("sarcasm", r"\b(?:lekker|goed|knap|mooi|prima) bezig (?:weer|hoor|zeg)\b|\blekker bezig(?= ?[.,!]|$)|\bknap hoor\b|\bgoed gedaan hoor\b|\bbravo\b|\bchapeau\b"),
    ("sarcasm", r"\bnou (?:fijn|lekker|mooi|leuk|top|geweldig)\b|\blekker dan\b|\bheel fijn hoor\b|\bfijn hoor\b(?! dat)|\btop hoor\b|\bgeweldig hoor\b|\bsuper hoor\b"),
    ("sarcasm", r"\bwat (?:fijn|leuk|lief|aardig) dat (?:je|jij) (?:ook )?(?:eens|een keer|eindelijk|ook eens)\b"),
    ("sarcasm", r"\bsorry dat ik (?:besta|leef|adem|er ben|iets vraag)\b"),
    ("sarcasm", r"\b(?:heel|erg|zeer) volwassen(?: hoor)?(?= ?[.,!?]|$)|\bhoe volwassen\b"),
    ("sarcasm", r"\b(?:laten we|laten we dan|dan spreken we|we spreken) (?:dan )?(?:maar )?(?:gewoon )?af dat (?:jij|je) nooit\b"),
    ("sarcasm", r"\b(?:weer|nog) een (?:weekend|dag|avond|middag|vakantie|verjaardag) (?:naar de knoppen|verpest|om zeep|in de soep|naar de kloten)\b"),
    ("sarcasm", r"\b(?:topmiddag|topdag|topavond|topweekend|superfijn|superleuk) (?:zeg|hoor)?\b(?=.*🙄)|\bbedankt hoor(?: ,)? (?:weer|alweer|voor niks|voor niets)\b|\bdankjewel hoor(?: ,)? (?:weer|alweer)\b"),
    ("sarcasm", r"👏(?: ?👏)", {"weak": True}),
    ("sarcasm", r"(?:^|[.,!?] )goh(?= ?[.,!?])|\bwauw(?= ?[.,]) (?!wat (?:mooi|leuk|knap|goed|fijn|lief))", {"weak": True}),
    # ---------------------------------------------------------------- demand, pressure to answer now
    ("demand", r"(?:^|[.,!?] )(?:nu|meteen|direct|nu meteen|onmiddellijk)(?= ?[.!]|$)|\bik wil nu (?:een |het |de )?(?:%(W)s )?(?:horen|weten|antwoord|zien)\b"),
    ("demand", r"\bik (?:verwacht|wil|eis)(?: %(W)s){0,6}? uiterlijk\b|\buiterlijk (?:vandaag|morgen|vanavond|om \d+|\d+ uur)(?: %(W)s){0,4}? (?:verwacht|wil|eis)\b"),
    ("demand", r"\bgeef (?:nou |nu |dan |toch |eens |gewoon |godverdomme |verdomme )*(?:antwoord|een antwoord|gewoon antwoord)\b"),
    ("demand", r"\bik wil (?:vandaag|vanavond|morgen|nu|binnen|uiterlijk|voor)(?: %(W)s){0,4}? (?:een )?(?:antwoord|reactie|bericht)\b"),
    ("demand", r"\bwacht (?:nog steeds|nog altijd|al %(W)s %(W)s) op (?:je|jouw|een) (?:antwoord|reactie|bericht|telefoontje)\b"),
    ("demand", r"\b(?:antwoord|reageer|bel|app|reageren|antwoorden|opnemen|terugbellen)(?: (?:me|mij|nou|dan|eens|jij))* (?:nu|meteen|direct|onmiddellijk|zsm|zo snel mogelijk|nu meteen|nou|dan|eens)\b(?! (?:maar|even) (?:als|wanneer))"),
    ("demand", r"(?:^|[.,!?] )(?:antwoord|reageer|reageren|geef antwoord|bel me|bel terug|neem op)(?: ?[!?]|$)"),
    ("demand", r"\bik wil (?:nu|meteen|direct|vandaag nog|vandaag|nu meteen|per direct|onmiddellijk) (?:een )?(?:antwoord|reactie|weten|duidelijkheid)\b|\bik wil het (?:nu|meteen|vandaag) weten\b"),
    ("demand", r"\bik (?:verwacht|eis|wil)(?: %(W)s){0,3}? (?:een )?(?:antwoord|reactie)(?: %(W)s){0,2}? (?:vandaag|nu|vanavond|binnen|voor \d+)\b|\bik eis\b"),
    ("demand", r"\bik (?:verwacht|wil|eis) (?:vandaag|nu|vanavond|binnen|uiterlijk|voor)(?: %(W)s){0,3}? (?:een )?(?:antwoord|reactie)\b"),
    ("demand", r"\bbinnen (?:een|1|het|twee|2|drie|3|vijf|5|tien|10|dertig|30|een half) (?:uur|kwartier|minuten|min)\b"),
    ("demand", r"\b(?:neem|pak) (?:je|jouw|die|nou je|dan je|eens je) (?:telefoon|telefoontje|mobiel|gsm) (?:op|eens op|nou op)\b|(?:^|[.,!?] )neem (?:nou |dan |toch |eens )*op\b"),
    ("demand", r"\bwaarom (?:reageer|antwoord|neem|bel|app) (?:je|jij) (?:nou |dan |weer |gewoon )*(?:niet|nooit)\b|\bwaarom (?:negeer|ontloop) (?:je|jij) me\b"),
    ("demand", r"(?:^|[.,!?] )(?:hallo|hallooo|hello|hey|hoi|he|oi)(?: ?\?)|\?\s*\?\s*\?"),
    ("demand", r"\b(?:je|jij) hebt tot (?:morgen|vanavond|vanmiddag|vrijdag|maandag|dinsdag|woensdag|donderdag|zaterdag|zondag|\d+)\b"),
    ("demand", r"\b(?:nu|vandaag|meteen|direct) \. (?:nu|vandaag|meteen|direct)\b"),
    ("demand", r"\bals (?:je|jij) (?:om|voor|niet voor|vandaag|binnen) (?:\d+|vanavond|morgen)(?: %(W)s){0,2} niet (?:reageert|antwoordt|belt)\b|\banders (?:regel|doe|bel|ga|stap|schakel) ik\b"),
    # ---------------------------------------------------------------- lecturing
    ("lecturing", r"\bwordt het (?:niet )?(?:eens |nou eens |nu eens )?tijd dat (?:je|jij)\b|\b(?:kijk|kijken) (?:eens |nou eens |eerst |maar eens )*naar jezelf\b|\bnaar jezelf (?:kijken|kijkt)\b"),
    ("lecturing", r"\bik (?:ga|zal) (?:het|dit|je) (?:nog (?:een|één|1) keer|voor de laatste keer) (?:uitleggen|zeggen|vertellen)\b|\buitleggen(?: ,)? (?:en )?(?:dan )?(?:heel )?langzaam\b"),
    ("lecturing", r"\b(?:je|jij) moet (?:echt |eens |nou eens |nu eens |toch eens |maar eens )+(?:leren|gaan leren|snappen|begrijpen)\b"),
    ("lecturing", r"\b(?:misschien )?(?:moet|moest|zou) (?:je|jij) (?:eens |maar eens |nou eens |een keer )(?:beter|eerder|zelf|gewoon|normaal|leren|plannen|nadenken|opletten)\b|\bdenk (?:nou |toch |eerst |eens |nou eens )*na (?:voordat|voor|ipv|in plaats)\b"),
    ("lecturing", r"\b(?:het )?wordt (?:eens )?tijd dat (?:je|jij) (?:eens |een keer )?(?:volwassen|normaal|je verantwoordelijkheid|je gedraagt|gaat gedragen|volwassen gedrag|leert|nadenkt)\b"),
    ("lecturing", r"\blees (?:je|jij) (?:je |jouw |mijn |de )?(?:berichten|appjes|mails|wat ik schrijf)(?: %(W)s){0,2}? (?:eigenlijk|ooit|wel|überhaupt|uberhaupt)\b|\bwaarom is (?:het|dat) (?:nou |toch )?zo moeilijk\b"),
    ("lecturing", r"\bhoe vaak (?:moet|heb|zal) ik (?:het |dat |je )*(?:nog )?(?:zeggen|vertellen|uitleggen|vragen|gezegd|herhalen)\b"),
    ("lecturing", r"\bvoor de (?:zoveelste|honderdste|duizendste|laatste|tigste) keer\b(?= ?[:,.!]|$| (?:nou|nu|dus|de|het|moet|:))"),
    ("lecturing", r"\b(?:word|doe|gedraag) (?:jij |je |nou |toch |eens |gewoon |nou eens |dan eens )*(?:volwassen|normaal|als een volwassene)\b|\bgedraag je\b"),
    ("lecturing", r"\b(?:het|dat|dit) is (?:toch |echt |nou |ook )*niet (?:zo |zo ontzettend |echt )?moeilijk\b|\bis (?:dat|het) (?:nou |nu |echt )*zo moeilijk\b"),
    ("lecturing", r"\b(?:je|jij) snapt het (?:echt |gewoon |nog steeds |nou )*niet\b|\bsnap (?:je|jij) het nou (?:nog steeds )?niet\b"),
    ("lecturing", r"\b(?:je|jij) moet (?:je )?(?:eens|echt eens|maar eens|nou eens) (?:afvragen|leren|nadenken|kijken naar jezelf|in de spiegel)\b|\bdenk (?:eens|nou eens|toch eens) na\b"),
    ("lecturing", r"\bik heb (?:het |dat |je )*(?:al |nu al )?(?:\d+|twee|drie|vier|vijf|tien|honderd|zo vaak|duizend|vaak genoeg) ?(?:keer|x) (?:gezegd|gevraagd|uitgelegd|verteld)\b"),
    ("lecturing", r"\bzoals ik (?:al )?(?:zo )?(?:vaak |eerder |al eerder |duizend keer )?(?:zei|gezegd heb|heb gezegd|schreef|al zei)\b|\blees (?:nou |toch |dan )?(?:eens |even )?(?:wat ik schrijf|goed|je eigen berichten)"),
    ("lecturing", r"\bneem (?:je|jouw|eens je|nou eens je) verantwoordelijkheid\b"),
    # ---------------------------------------------------------------- legal step announced
    ("legal", r"\b(?:stap|ga|schakel|bel|stuur|neem|dien|doe|sleep|breng) (?:ik|we)\b(?: %(W)s){0,4}? (?:rechter|rechtbank|advocaat|rechtszaak|politie|aangifte|jeugdzorg|veilig thuis|kinderbescherming|klacht|kort geding|incassobureau|incasso|deurwaarder)\b"),
    ("legal", r"\b(?:ik ga|ik zal|we gaan)(?: %(W)s){0,3}? (?:bij|met|aan) de (?:mediator|begeleider|rechter|advocaat|jeugdzorg) (?:aankaarten|melden|aangeven|voorleggen)\b"),
    ("legal", r"\b(?:ik|we|wij)\b(?: %(W)s){0,4}? (?:leg|leggen|stap|stappen|ga|gaan|schakel|schakelen|bel|bellen|stuur|sturen|dien|dienen|doe|doen|zal|zullen|neem|nemen|meld|melden|breng|brengen|sleep|slepen|vraag|vragen)\b(?: %(W)s){0,5}? "
              r"(?:rechter|rechtbank|advocaat|advocate|rechtszaak|politie|aangifte|jeugdzorg|veilig thuis|raad voor de kinderbescherming|kinderbescherming|klacht|kort geding|deurwaarder|officier)\b"),
    ("legal", r"\b(?:gaat|gaan) (?:dit |het )?(?:naar|via) (?:mijn |de |een )?(?:advocaat|rechter|rechtbank|politie)\b|\bde (?:begeleider|mediator|rechter|advocaat|politie) (?:gaat|zal) (?:dit|het|hiervan) (?:ook )?(?:horen|weten)\b"),
    ("legal", r"\bik ga dit melden\b|\bdit ga ik melden\b|\bik doe aangifte\b|\b(?:naar|voor) de rechter\b(?! (?:gaat|zegt|zei|besloot|heeft))"),
    # ---------------------------------------------------------------- swearing at the other's things and doings
    ("profanity", r"\b(?:je|jouw|jullie|van jou|van je)\b(?: %(W)s){0,2}? (?:kut|fucking|fokking|klote|tering|kanker|tyfus|godvergeten|rot|verdomde|verrekte)\w*\b"),
    ("profanity", r"\b(?:kut|klote|tering|kanker|tyfus|rot)\w{3,}\b(?: %(W)s){0,3}? (?:van (?:je|jou)|jij|je)\b"),
    ("profanity", r"\b(?:gezeik|gezeur|gelul|geouwehoer|gezever|gezeik|kutzooi|klotezooi|teringzooi|kankerzooi)\b"),
]
