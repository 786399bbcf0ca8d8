"""English rules for the tone check, kept as data (same format as lexicon_nl).

After normalisation apostrophes are gone and contractions expanded where unambiguous:
"i'll" -> "i will", "you're" -> "you are", "i'm" -> "i am", "don't" -> "dont", "won't" -> "wont".
"""

PARENT = r"(?:mother|father|parent|mom|mum|mommy|mummy|dad|daddy|mama|papa|mam|ma|pa)"
KIDS = r"(?:the |my |our |your |those )?(?:kids|children|kiddos|boys|girls|little ones|son|daughter|baby)"
PARTNER = r"(?:new )?(?:boyfriend|girlfriend|bf|gf|partner|fella|man|woman|husband|wife|lover|fancy man|fancy woman|bloke|guy)"
YOU_ARE = r"(?:you are|you r|u are|u r|ur|your|youre|you re|yr|you really are|you truly are|you are really|you are such|you are so)"

INSULT_STRONG = (
    r"(?:idiot|moron|imbecile|cretin|asshole|arsehole|ass|bitch|cunt|dick|dickhead|prick|twat|wanker|"
    r"tosser|loser|psycho|psychopath|sociopath|narcissist|narc|liar|manipulator|retard|clown|deadbeat|"
    r"bastard|scumbag|scum|lowlife|jerk|douche|douchebag|whore|slut|skank|pig|parasite|leech|freeloader|"
    r"failure|waste of space|waste of oxygen|piece of shit|piece of crap|piece of work|nutcase|nutjob|"
    r"lunatic|head case|headcase|freak|creep|coward|bully|hypocrite|drama queen|crybaby|cry baby|"
    r"witch|hag|troll|motherfucker|fuckwit|fucker|shithead|dipshit|dumbass|jackass|halfwit|dimwit|"
    r"numpty|muppet|pillock|plonker|git|sod|cow|bellend|knobhead|nonce|trash|garbage|joke|whinger|moaner|nag|"
    r"sack of shit|excuse for a human|excuse of a human)"
)
INSULT_ADJ = (
    r"(?:stupid|dumb|pathetic|useless|worthless|crazy|mental|insane|lazy|selfish|disgusting|ugly|fat|"
    r"sick in the head|unhinged|delusional|hysterical|psychotic|incompetent|clueless|thick|brainless|"
    r"spineless|vile|evil|toxic|manipulative|unstable|fake|cheap|sad|miserable|nasty|horrible|"
    r"pitiful|spiteful|vindictive|childish|ridiculous|pathetic|a disgrace|disgraceful|a joke|"
    r"a failure|gutless|heartless|cold hearted|deranged|demented|retarded|batshit|nuts|bonkers|"
    r"a nightmare|the worst|repulsive|revolting|rotten|trashy|an embarrassment|embarrassing)"
)

RULES = [
    # ---------------------------------------------------------------- threats of harm (explicit)
    ("threat",
     r"\b(?:i|we|me and (?:my )?%(W)s|my (?:brother|brothers|mates|mate|friends|friend|cousin|cousins|family|boys|dad|uncle))\b"
     r"(?: %(W)s){0,2}? (?:will|would|shall|going to|could|might|want to|am coming to|am going to|swear i will|swear to god i will|"
     r"am gonna|gonna|will be sure to|have to)(?: %(W)s){0,3}? "
     r"(?:kill|murder|hurt|harm|hit|punch|beat|smash|stab|shoot|strangle|choke|slap|kick|destroy|ruin|end|finish|burn|torch|"
     r"wreck|bury|batter|knock|slit|cut|break|strangle|drown|poison|run over|deal with|take care of|sort out|mess up|"
     r"fuck up|f up|beat up|beat the shit out of|kick the shit out of|knock out|waste|take out|do in|smash up)"
     r"(?: (?:all of|both of|the|up|in|out|down))? (?:you|u|your|ur|him|her|them|yourself|myself|that %(W)s|%(KIDS)s|his|their)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:i|we)(?: %(W)s){0,2}? (?:will|would|shall|going to|am going to|gonna|am coming to|swear i will) (?:get|find|catch|hunt|track) "
               r"(?:you|u|ya|him|her)(?: down)?(?: (?:one day|eventually|for this|for that|back|wherever|soon|mark my words|i swear|trust me))?(?= ?[.,!?]|$| (?:if|when|and|one|i)\b)",
     {"neg": "span"}),
    ("threat", r"\b(?:i|we)(?: %(W)s){0,2}? (?:will|going to|am going to|gonna|would) (?:make|see to it that)(?: (?:sure|certain))? (?:that )?(?:you|u)(?: %(W)s){0,2}? "
               r"(?:pay|suffer|regret|never|lose everything|wish|bleed|sorry|dont see|will not see|wont see|cant see)\b"),
    ("threat", r"\b(?:i|we)(?: %(W)s){0,2}? (?:will|going to|am going to|gonna) (?:make|turn) (?:your|ur) life (?:a )?(?:hell|misery|living hell|nightmare|hell on earth)\b"),
    ("threat", r"\b(?:make|making) (?:your|ur) life (?:a )?(?:living )?(?:hell|misery|nightmare)\b"),
    ("threat", r"\b(?:i|we)(?: %(W)s){0,2}? (?:will|going to|am going to|gonna) (?:burn|torch|smash|trash|key|slash|wreck) (?:your|ur|his|her|their) (?:%(W)s )?(?:house|home|car|place|flat|windows|tyres|tires|stuff|things|door)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:am|are|is) coming (?:for|after) (?:you|u|ya|him|her)\b|\bcoming to get (?:you|u|ya)\b|\bhunt (?:you|u) down\b|\btrack (?:you|u) down\b"),
    ("threat", r"\b(?:i|we) will (?:find|get) (?:you|u|ya)(?= ?[.,!?]|$)|\bi will find you\b"),
    ("threat", r"\b(?:you are|you r|ur|u are|your) (?:so |fucking |a )?(?:dead|dead man|dead woman|finished|done for|toast|history)(?: \.|,| !|$)(?! (?:tired|wrong|right|on|set|serious|funny|good|cute|quiet|with)\b)"),
    ("threat", r"\b(?:you are|you r|ur|u are) (?:going to|gonna) (?:die|get hurt|end up (?:in|hurt|dead))\b|\b(?:you will|you are going to) (?:end up|wind up) (?:in (?:hospital|the hospital|a box|a ditch|the ground|a coffin)|dead|hurt)\b"),
    ("threat", r"\bshow (?:you|u|ya) who (?:is )?(?:the )?boss\b|\bwho is (?:the )?boss\b|\bteach (?:you|u|ya) a lesson\b"),
    ("threat", r"\b(?:i will|i am going to|i am gonna|i swear i will|i will just|then i will) (?:hurt|kill|harm) myself\b|\bend it all\b|\bdo something to myself\b"),
    ("threat", r"\b(?:you will|you are going to|youll|you gonna) (?:never|not) (?:ever )?see (?:the kids|them|your kids|your children|your son|your daughter|the children|us|her|him) (?:again|anymore)\b"),
    ("threat", r"\b(?:you will|youll|you) never (?:find|see) (?:us|them|me)(?: again)?\b"),
    ("threat", r"\b(?:i|we)(?: %(W)s){0,3}? take (?:them|the kids|the children|%(KIDS)s) (?:away from you|abroad|and (?:you will|youll|you) never|where you (?:will never|cant))",
     {"neg": "span"}),
    ("threat", r"\bnever see (?:the kids|them|your kids|your children|the children) again\b"),
    # ---------------------------------------------------------------- veiled threats
    ("threat", r"\b(?:break|snap|smash|bust|cave in) (?:his|her|your|ur|their|that %(W)s|both his|both your) (?:%(W)s )?(?:legs|leg|arms|arm|neck|nose|jaw|face|teeth|skull|ribs|fingers|head|kneecaps)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:knife|knives|gun|guns|weapon|weapons|blade|bat|baseball bat|hammer|machete|axe|shotgun|rifle)\b(?=.*\b(?:use it|use them|afraid to|not scared|on you|for you|bring it|bring|pull|coming|ready|loaded)\b)"),
    ("threat", r"\b(?:make|making) (?:your|ur) life (?:very |really |so |a |an )?(?:difficult|hard|miserable|hell|misery|nightmare|unbearable|a living hell)\b"),
    ("threat", r"\b(?:you|u) (?:will not|wont|are not going to|arent going to|will never) (?:come|get) out of this (?:well|alive|in one piece|unscathed)\b|\bwont end well for you\b"),
    ("threat", r"\b(?:you have|you ve|youve|you got|you have got) (?:something|it|what is) coming\b|\bget what is coming\b|\bwhat is coming to you\b|\bgot it coming\b"),
    ("threat", r"\b(?:anything|things|stuff|something bad|bad things) (?:could|can|will|might|may|are going to|is going to) happen\b|\bit (?:could|might|would) (?:easily |just |so easily )?happen that (?:you|your)\b"),
    ("threat", r"\b(?:see|find out) what i (?:can do|am capable of|will do|could do)\b"),
    ("threat", r"\b(?:do you|you) (?:really |honestly )?think (?:you are|youre|ur|you will be|youll be) safe\b|\b(?:you are|youre|ur) not safe\b|\bnowhere is safe\b"),
    ("threat", r"\b(?:keep|keeping|will keep) (?:coming after|chasing|hounding|following|harassing) (?:you|u)\b|\bcoming after (?:you|u)\b"),
    ("threat", r"\b(?:you will|you are going to|youll|you are gonna) pay for (?!(?:the|a|an|half|her|his|their|our|my|some|it all|lunch|dinner)\b)%(W)s"),
    ("threat", r"\b(?:you will|you are going to|you are gonna|youll|you gonna) (?:really |so |truly )?(?:wish (?:you|that|u)|suffer|bleed|cry|beg|learn (?:your|the hard way))\b", {"neg": "inside"}),
    ("threat", r"\b(?:and )?(?:then )?(?:you will|youll|you|we will|well) see what (?:happens|will happen|is going to happen|i do|i will do|i can do)\b"),
    ("threat", r"\bsomething (?:will|is going to|could|might|is gonna) happen (?:to (?:you|u|him|her|your|them)|if|when)\b|\bwhat (?:will )?happens? to (?:you|u|your %(W)s|him|her)\b(?! (?:at|in|on|during|after|next))"),
    ("threat", r"\b(?:this|it) (?:is not|isnt|aint) over\b|\bdont (?:think|believe) (?:this|it) is over\b|\bthis is (?:not|far from) (?:over|finished)\b"),
    ("threat", r"\b(?:you are|youre|ur) (?:not|far from) (?:done|finished|rid of me)\b|\bi am (?:not|far from) (?:done|finished) with (?:you|u)\b|\byou have(?:nt| not) (?:seen|heard) the last of me\b"),
    ("threat", r"\byou know (?:what|how) i (?:am|get|can be) (?:like )?when\b|\bdont (?:push|test|try) me\b|\bdo not (?:push|test) me\b"),
    ("threat", r"\b(?:i will|i am going to|i) (?:not|never|wont|will not|will never) (?:ever )?leave (?:you|u) alone\b|\bi will (?:keep )?(?:hounding|haunting|following) (?:you|u)\b"),
    ("threat", r"\b(?:i will|i am going to|im going to|gonna|i will just) (?:be|wait|come) (?:waiting )?(?:at|outside|by|round|in front of) (?:your|ur) (?:door|house|place|work|office|flat|window|car)\b|\b(?:waiting|wait) (?:for (?:you|u) )?(?:outside|at|by) (?:your|ur) (?:door|house|place|work|office|flat|window)\b",
     {"unless": r"\b(?:pick|pickup|drop|dropping|collect|collecting|handover|bag|stuff|their things|the kids|kids|forms|at \d|\d (?:pm|am)|oclock)\b"}),
    ("threat", r"\bif i (?:were|was) you\b(?=.*\b(?:alone|dark|at night|tonight|door|lock|careful|watch|move|street|walk)\b)|\b(?:alone|dark|at night|tonight|door|lock|street|walk)\b(?=.*\bif i (?:were|was) you\b)"),
    ("threat", r"\b(?:you will|you are going to|you gonna|you are gonna|youll|u will|u gonna) (?:really |so |seriously )?(?:regret|pay for|pay dearly|be sorry|feel it)\b",
     {"neg": "span"}),
    ("threat", r"\b(?:you will|you are going to|you are gonna|youll) pay(?= ?[.,!?]|$| (?:for (?:this|that|it|what)|dearly|big time))", {"neg": "span"}),
    ("threat", r"\b(?:you will|you are going to|you are gonna) (?:see|find out|learn)(?= ?[.,!?]|$)(?! (?:what|how|where|when|if|on|at|that|she|he|it|they))",
     {"unless": r"\b(?:love|like|enjoy|great|fine|good|fun|nice|brilliant|worth it|happy)\b"}),
    ("threat", r"\b(?:you will|you are going to|youll) be (?:very |so |really )?sorry\b|\bgoing to be sorry\b|\bgonna be sorry\b", {"neg": "span"}),
    ("threat", r"\b(?:this|that|it) (?:wont|will not|is not going to|isnt going to|aint gonna) end well\b|\bthis will end badly\b|\bend badly for you\b"),
    ("threat", r"\bwatch (?:your|ur) back\b|\bwatch yourself\b|\bwatch it(?= ?[.,!]|$)|\b(?:had )?better watch (?:out|it|himself|herself|yourself|themselves|your back|his back|her back)\b|\bbetter (?:be|stay) careful\b"),
    ("threat", r"\bbe careful (?:%(W)s ){0,3}?(?:alone|at night|in the dark|who you (?:talk|speak)|what you (?:say|tell|do|write)|if i were you|out there)\b|\bcareful what you (?:say|tell|do|write|wish)\b|\bcareful who you\b"),
    ("threat", r"\b(?:just )?wait and see(?= ?[.,!?]|$)|\byou just wait\b|\bjust you wait\b|\bwait (?:and see|till you see|until you see) what (?:happens|i do|i will do|i am going to do)\b|\band (?:you will |youll |just |then )?see what happens\b"),
    ("threat", r"\bjust wait(?= ?[.,!?]|$)|\bjust wait (?:till|until) (?:the|this|i|you)\b(?! (?:see|hear|taste|try))"),
    ("threat", r"\bit would be a (?:shame|pity|real shame|terrible shame) if (?:%(W)s ){0,3}?(?:something|anything|an accident)\b|\bshame if something happened\b"),
    ("threat", r"\baccidents (?:happen|can happen|do happen|will happen)\b",
     {"unless": r"\b(?:no worries|dont worry|its fine|it is fine|no problem|never mind|spilled|spilt|wet|pee|wee|bed|juice|broke the|not a big deal)\b"}),
    ("threat", r"\b(?:nothing|not much|nothing left|nothing more) (?:left )?to lose\b"),
    ("threat", r"\b(?:you dont|you do not|you have no idea|you cant imagine) (?:know )?what (?:i am|im|we are|i) (?:capable of|able to do|can do|will do|might do)\b|\bwhat i am capable of\b"),
    ("threat", r"\b(?:you have|you got) no idea what (?:is|s) (?:going to|gonna|coming|about to) (?:happen|come)|\bno idea what (?:you are|youre) dealing with\b|\bwhat is coming to you\b|\bwhat is coming for you\b"),
    ("threat", r"\b(?:nobody|no one|noone|no body|who) (?:will|is going to|would|is gonna|gonna|ever) (?:ever )?believe (?:you|u|a word you say)\b"),
    # ---------------------------------------------------------------- stalking, watching
    ("stalking", r"\b(?:know|memorised|memorized|have|got) (?:your|ur) (?:work )?(?:rota|schedule|routine|shifts|hours|timetable|movements)\b"),
    ("stalking", r"\b(?:i|we) know (?:that )?(?:you|u) (?:%(W)s ){0,5}?(?:every|each|on) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|evening|night|day|week)s?\b"),
    ("stalking", r"\b(?:drive|drove|driving|walk|walked|cycle|come|go|went) (?:%(W)s )?(?:past|by) (?:your|ur) (?:house|place|flat|work|office|home|window)\b",
     {"unless": r"\b(?:pick|pickup|drop|dropping|collect|handover|bag|stuff|the kids|kids|forms|passport|coat|at \d)\b"}),
    ("stalking", r"\b(?:saw|seen|spotted|caught) (?:you|u)(?: %(W)s){0,5}? with (?:that|your|the|some|him|her) (?:%(W)s ){0,2}?(?:bloke|guy|man|woman|boyfriend|girlfriend|fella|lover|of yours)\b|\bthought i (?:wouldnt|would not|wouldn t) (?:notice|find out|see|know)\b"),
    ("stalking", r"\b(?:saw|seen|spotted|noticed|clocked) (?:that )?(?:your|ur) car\b|\b(?:your|ur) car (?:was )?(?:parked )?(?:outside|at|by) (?:his|her|their|that)\b"),
    ("stalking", r"\b(?:i|we) (?:know|found out) (?:exactly |precisely |all about )(?:what time|when|where|who) (?:you|u)\b|\b(?:i|we) know who (?:you|u) (?:are|were|have been) (?:seeing|with|sleeping)\b", {"neg": "span"}),
    ("threat", r"\b(?:i|we) (?:know|found out|have found out|found) (?:exactly |precisely |now )?where (?:you|u|he|she|they|your %(W)s|the kids|%(KIDS)s) (?:now )?(?:live|lives|living|work|works|working|sleep|sleeps|stay|stays|staying|go|goes|hang out|park|are|is)\b(?! (?:coming from|going with|at with|right|doing))",
     {"neg": "span"}),
    ("stalking", r"\bknows? where (?:you|u) (?:live|work|sleep|stay)\b"),
    ("stalking", r"\b(?:i|we) (?:know|found out|have found out|found) (?:exactly |precisely |now )?(?:when|what time|who|where|how often) (?:you|u) (?:%(W)s ){0,3}?(?:home|alone|leave|left|finish|get|got|were|are|go|went|sleep|slept|with)\b(?! coming from)",
     {"neg": "span", "unless": r"\bwhere (?:you|u) are coming from\b"}),
    ("stalking", r"\b(?:i|we) (?:know|found out|have found out|found) (?:%(W)s )?(?:which|what) school\b|\b(?:i|we) know (?:all|everything|a lot) about (?:you|u|your)\b"),
    ("stalking", r"\b(?:i am|i have been|ive been|we are|i|we) (?:watching|following|tracking|keeping an eye on|keeping tabs on) (?:you|u|ya|every move|everything you do)\b", {"neg": "span"}),
    ("stalking", r"\bi see everything you do\b|\bi know everything you do\b"),
    ("stalking", r"\b(?:saw|seen|see|spotted) (?:you|u|ya)(?: %(W)s){0,3}? with (?:him|her|that|your|the new|some)\b"),
    ("stalking", r"\b(?:was|stood|sat|waited|parked) (?:right )?(?:outside|at|by|under|in front of) (?:your|ur) (?:bedroom )?(?:window|bedroom)\b|\byou (?:didnt|did not|never) (?:see|notice|spot) me\b"),
    ("stalking", r"\b(?:pics|pictures|photos|a photo|a picture|a pic|video|footage) of (?:your|ur) (?:new )?(?:place|house|flat|home|car|street|door|work)\b"),
    ("stalking", r"\b(?:got|have|found|know) (?:your|ur) (?:new )?(?:address|postcode|place) (?:already|now|btw|anyway|lol|haha)\b|\bfound (?:your|ur) (?:new )?address\b"),
    ("stalking", r"\b(?:mate|friend|brother|cousin|uncle|guy|someone|boys|mates) (?:%(W)s )?(?:lives|is living|works|is) (?:on|in|near|next to|opposite|across from) (?:your|ur) (?:street|road|building|block|work|office|estate)\b"),
    ("stalking", r"\b(?:he|she|they|people) (?:tells|tell|told) me everything\b"),
    ("stalking", r"\b(?:all by yourself|all alone|on your own|by yourself)\b(?=.*\b(?:walk|run|jog|park|last night|this morning|tonight|street)\b)|"
                 r"\b(?:walk|run|jog|park|last night|this morning)\b(?=.*\b(?:all by yourself|all alone|on your own)\b)"),
    ("threat", r"\b(?:i would|i will|id) (?:lock|bolt|check|watch|think twice|be careful|sleep|keep|get)(?: %(W)s){0,4}? if i (?:were|was) you\b|\bif i (?:were|was) you(?: ,)? i would (?:lock|bolt|watch|be careful|move|sleep|keep|think)\b"),
    ("threat", r"\b(?:i would|i will|id|you should|you better|you had better) think (?:very |long and |really |real )?(?:carefully|twice|hard) before (?:you|u)\b"),
    ("threat", r"\bsleep with one eye open\b|\bconsider (?:yourself|this|this your|it) (?:warned|a warning|your last warning|your final warning|final warning)\b|\b(?:last|final) warning\b|\byou have been warned\b|\bdont say i didnt warn you\b"),
    ("threat", r"\bone more (?:time|message|text|word|stunt|thing)(?: like (?:that|this))?(?: from you)?(?: ,)? and (?:i|you|then|its|ill)\b",
     {"unless": r"\b(?:court|judge|lawyer|solicitor|police|mediator|practitioner|social services|cps|report)\b"}),
    ("threat", r"\b(?:i am|im) not (?:saying|threatening)(?: %(W)s){0,6}? (?:but|just)\b|\b(?:this|that) is not a threat(?: ,)? (?:but|just)?\b|\bnot a threat(?: ,)? (?:but|just)\b"),
    ("threat", r"\b(?:dont|do not) (?:think|believe) (?:you|u) (?:will|can|are going to|gonna)? ?get away with\b|\b(?:you will|youll|you) (?:not|never|wont) get away with\b"),
    ("threat", r"\b(?:talk|speak|go|run) to the (?:police|cops|judge|court|practitioner|social services)(?: %(W)s){0,3}? and (?:you will |youll |just |then )?see\b"),
    ("threat", r"\b(?:i|we) (?:know|have) (?:people|guys|friends|mates) (?:who|that)\b"),
    ("threat", r"\b(?:come|coming|be) (?:round|over|by) (?:%(W)s )?(?:to|and) (?:settle|sort) (?:this|it|you|things) (?:out )?(?:properly|myself|once and for all)?\b|\bsettle (?:this|it) (?:in person|face to face|outside|properly)\b|\bsort (?:you|u) out\b"),
    ("threat", r"\b(?:be )?glad (?:that )?(?:the kids|the children|people|your mum|your mom|others|everyone|witnesses) (?:were|was) (?:there|around|watching)\b|\blucky (?:that )?(?:the kids|people|witnesses) (?:were|was) there\b"),
    ("threat", r"\b(?:i am|im) not letting (?:you|u) go (?:that|so) (?:easily|easy)\b|\b(?:i will|ill) never let (?:you|u) go\b|\byou (?:will|are) never (?:be )?(?:free of|rid of|getting rid of) me\b"),
    ("threat", r"\bi (?:dont|do not) know what i (?:will|would|might|am going to) do\b|\bcant be responsible for what i do\b|\bnot responsible for what (?:i|happens)\b"),
    ("threat", r"\b(?:i am|im) coming (?:over|round|to your (?:house|place|work|flat)) (?:right )?now\b|\byou (?:had )?better open (?:the|that) door\b",
     {"unless": r"\b(?:pick|pickup|drop|dropping|collect|handover|bag|stuff|their things|the kids|kids|forms)\b"}),
    ("threat", r"\b(?:i will|ill|i am going to|im going to|gonna) (?:be|come) (?:at|to|outside|round) (?:your|ur) (?:door|house|place|work|window)(?: %(W)s){0,2}? (?:tonight|now|soon|in \d+|in a minute)\b",
     {"unless": r"\b(?:pick|pickup|drop|dropping|collect|handover|bag|stuff|the kids|kids|forms|at \d)\b"}),
    # ---------------------------------------------------------------- insults
    ("insult", r"(?:^|[.,!?] |\b(?:you|a|an|such a|such an|what a|what an|are|re) )(?:%(INSULT_ADJ)s|lying|manipulative|jealous|bitter|spoilt|spoiled|narcissistic|two faced|cheating) (?:%(INSULT_ADJ)s |lying |manipulative )?"
               r"(?:woman|man|bitch|cow|witch|person|bloke|guy|prick|cunt|twat|idiot|moron|loser|hag|slut|whore|creature|individual|git|sod)\b", {"neg": "before"}),
    ("insult", r"\b%(YOU_ARE)s (?:a|an|such a|such an|just a|just an|a really|a truly) (?:%(W)s )?%(INSULT_ADJ)s (?:%(INSULT_ADJ)s )?(?:human being|human|person|man|woman|individual|specimen|creature|excuse|bloke|cow|guy|lady|parent|thing)\b", {"neg": "before"}),
    ("insult", r"\b%(INSULT_STRONG)s like (?:you|u)\b|\btypical of (?:an? )?%(INSULT_STRONG)s\b"),
    ("insult", r"\b(?:you|u) and (?:your|ur) (?:%(W)s ){0,2}(?:are|r) (?:all |both |just |a bunch of |a pack of |a load of )*(?:scum|trash|vermin|%(INSULT_STRONG)s|%(INSULT_ADJ)s)\b|\b(?:bunch|pack|load|family) of (?:scum|losers|idiots|liars|animals|lowlifes)\b"),
    ("insult", r"\b(?:you are|ur|you r|u are|youre) (?:not|nt) (?:right|all there|well) in the head\b|\bnot right in the head\b|\b(?:you need|get) (?:your head examined|help|sectioning|locking up)\b"),
    ("insult", r"(?:^|[.,!?] )(?:you )?(?:stupid |dumb |fucking |bloody |silly |selfish |lazy |ugly |fat |sad |pathetic |useless |absolute |complete |total )?%(INSULT_STRONG)s(?= ?[.,!?]|$)"),
    ("insult", r"\b(?:you|u|ya|yer|stupid|dumb|fucking|bloody|lying|selfish|lazy|ugly|fat|pathetic|useless|absolute|complete|total|cheating|little|dirty|filthy|evil|psycho|cheap) %(INSULT_STRONG)s\b(?! (?:of a %(PARENT)s|of a parent))",
     {"neg": "before", "unless": r"\b(?:lol|haha|😂)\b"}),
    ("insult", r"\b%(YOU_ARE)s(?: %(W)s){0,2}? (?:such |a |an |just a |just an |nothing but a |nothing but an |such a |such an |a real |a complete |a total |an absolute |a fucking |the biggest )+(?:%(W)s ){0,2}%(INSULT_STRONG)s\b", {"neg": "before"}),
    ("insult", r"\b%(YOU_ARE)s (?:so |such |really |just |fucking |bloody |completely |totally |absolutely |seriously |clearly |truly |being |a |an |actually )*%(INSULT_ADJ)s\b(?! (?:idea|excuse|thing|day|week|plan|suggestion))", {"neg": "before"}),
    ("insult", r"\bwhat (?:a|an) (?:%(W)s )?(?:%(INSULT_STRONG)s|%(INSULT_ADJ)s (?:man|woman|person|excuse|individual|human|mother|father|parent|bloke|cow|little man|little woman))\b(?:(?: %(W)s){0,2} (?:you are|ur|you r))?"),
    ("insult", r"\b(?:your|ur) %(PARTNER)s (?:is|is such|is just) (?:%(W)s ){0,2}?(?:a |an )?(?:%(W)s )?(?:%(INSULT_STRONG)s|%(INSULT_ADJ)s)\b"),
    ("insult", r"\bwhat (?:a )?(?:%(INSULT_STRONG)s|failure) (?:she|he|they) (?:has|have) got\b|\bwhat (?:a|an) %(INSULT_STRONG)s (?:she|he) is\b|\bwhat (?:a )?%(INSULT_STRONG)s (?:she|he)s got\b"),
    ("insult", r"\b(?:fuck|screw|sod|bugger) (?:you|u|ya|off|yourself|yourselves|both of you|the lot of you)\b|\bgo fuck yourself\b|\bfuck right off\b|\bf off\b|\bpiss off\b|\bbugger off\b|\bget lost\b(?! in)"),
    ("insult", r"\bgo to hell\b|\brot in hell\b|\b(?:can )?(?:both )?rot(?= ?[.,!?]|$| in)|\bburn in hell\b|\bdrop dead\b|\bgo die\b|\bkill yourself\b|\bgo and die\b|\bhope (?:you|u) die\b|\bwish (?:you|u) (?:were|was) dead\b"),
    ("insult", r"\bshut (?:up|the fuck up|your (?:mouth|face|trap|gob|hole)|it)\b|\bbite me\b|\bup yours\b|\beat shit\b|\bkiss my ass\b|\bget the fuck out\b"),
    ("insult", r"\bwhat the (?:fuck|hell|heck) is wrong with (?:you|u)\b|\bwhat is wrong with (?:you|u)\b|\bare you (?:fucking |really |completely )?(?:stupid|mental|insane|crazy|thick|deaf|blind)\b"),
    ("insult", r"(?:🖕|🤬)"),
    ("insult", r"\b(?:you are|ur|you r|youre|u are|your|what a) (?:a |an |such a |such an |total |complete )?🤡"),
    ("insult", r"\b(?:so|too) (?:dumb|stupid|thick) (?:it hurts|to|for words)\b|\b(?:dumb|stupid|thick) as (?:a|a box of|two short)\b"),
    # ---------------------------------------------------------------- contempt, demeaning as a parent
    ("contempt", r"\bashamed (?:that )?(?:you|ur|youre|you are)\b|\b(?:dont|do not|never) deserve to be (?:called )?(?:a |an )?%(PARENT)s\b|\bnot (?:worthy|fit) (?:of being|to be) (?:called )?(?:a |an )?%(PARENT)s\b"),
    ("contempt", r"\b(?:a|any|every) (?:good|real|decent|proper|normal|caring) %(PARENT)s (?:would|wouldnt|does|doesnt|knows|would never)\b|\bexcuse (?:for|of) a %(PARENT)s\b"),
    ("contempt", r"\b(?:cant|cannot|can not) even (?:sort|get|keep|run|organise|organize|manage|handle) (?:your|ur) own\b|\bhow (?:are|r) (?:you|u) (?:meant|supposed) to (?:look after|take care of|raise|care for)\b"),
    ("contempt", r"\b(?:you are|youre|ur|you r|u are) (?:of course |obviously |clearly )?the (?:perfect|ideal|best|model|saintly|world s best) %(PARENT)s\b(?=.*(?:🙄|of course|obviously|laughable|lol|haha|ha\b|yeah right|not\b))|\blaughable\b"),
    ("contempt", r"\bdeserve (?:a )?(?:better|real|proper|decent|different) %(PARENT)s\b"),
    ("contempt", r"\bthe (?:worst|worst thing|most awful thing) (?:that )?(?:ever )?(?:happened|to happen) to (?:these|the|my|our|your) (?:kids|children)\b|\bthe worst thing (?:that )?(?:ever )?happened to (?:them|me|us)\b"),
    ("contempt", r"\b(?:arent|are not) (?:you|u) ashamed\b|\bhave (?:you|u) no shame\b"),
    ("contempt", r"\b(?:terrible|bad|awful|shit|shitty|useless|worthless|pathetic|lousy|crap|crappy|rubbish|horrible|deadbeat|absent|"
                 r"part time|parttime|sorry excuse for a|poor excuse for a|excuse for a|joke of a|disgrace of a|failure of a|"
                 r"so called|fake|lazy|negligent|selfish|unfit|neglectful|worst|pitiful|sorry excuse of a|poor excuse of a|pathetic excuse for a|pathetic excuse of a) %(PARENT)s\b", {"neg": "before"}),
    ("contempt", r"\b(?:%(PARENT)s) of the (?:year|decade|century)\b"),
    ("contempt", r"\bwhat (?:kind|sort|type) of (?:a )?(?:%(PARENT)s|person|human|human being|man|woman)\b(?: %(W)s){0,2} (?:are you|does that|is that|would|were you|you are|you were)\b"),
    ("contempt", r"\b(?:you are|ur|you r|u are) (?:not|no|never|hardly) (?:a |an )?(?:real |proper |good |decent |actual )%(PARENT)s\b|\b(?:you are|ur|u are) not (?:a |an )?%(PARENT)s(?= ?[.,!?]|$)"),
    ("contempt", r"\breal (?:%(PARENT)ss?|dads|moms|mums|fathers|mothers|parents|men|women) (?:show|pay|would|dont|do|turn|put|take|care|look|make|remember|keep)\b"),
    ("contempt", r"\bif (?:you|u) (?:were|was) (?:a )?(?:real|proper|good|decent) %(PARENT)s\b"),
    ("contempt", r"\b(?:a )?(?:disgrace|joke|failure|embarrassment) (?:as a|of a|for a) (?:%(PARENT)s|human|person)\b|\bas a %(PARENT)s (?:you are|ur|you r|u are) (?:a )?(?:complete |total |utter |absolute )?(?:failure|joke|disgrace|embarrassment|useless|worthless|pathetic)\b"),
    ("contempt", r"\b(?:you|u) (?:dont|do not|never) deserve (?:the|your|our|my|those) (?:kids|children|son|daughter|boys|girls)\b|\b(?:you|u) (?:dont|do not) deserve them\b"),
    ("contempt", r"\b(?:kids|children|they|he|she|the boys|the girls) (?:are|is|would be|will be|were|are so much|are much|would be so much) (?:%(W)s )?better off without (?:you|u)\b"),
    ("contempt", r"\bno wonder (?:the kids|the children|they|your kids|he|she|your %(PARTNER)s|everyone|nobody|no one)\b"),
    ("contempt", r"\b(?:you|u) (?:cant|cannot|can not|couldnt) even (?:look after|take care of|handle|manage|keep|raise|care for|feed)\b|\b(?:never mind|let alone|nevermind) (?:children|kids|a child|the kids|two kids)\b"),
    ("contempt", r"\b(?:you|u) (?:disgust|sicken|repulse) me\b|\b(?:you|u) make me (?:sick|want to puke|want to throw up)\b|\bi am ashamed of (?:you|u)\b"),
    ("contempt", r"\b(?:you are|ur|you r|u are) (?:literally |absolutely |just )?(?:nothing|a nobody|nobody|worthless)(?: to me)?(?= ?[.,!?]|$| to)"),
    ("contempt", r"\b(?:you|u) should be (?:so |really |very )?ashamed\b|\bshame on (?:you|u)\b|\bhave you no shame\b|\bpathetic display\b|\bpathetic(?= ?[.,!?]|$)"),
    ("contempt", r"\b(?:everyone|everybody|the whole school|the other parents|people|the teachers|the neighbours|the neighbors)(?: %(W)s){0,2}? (?:laughs|laugh|is laughing|are laughing|laughed) at (?:you|u)\b"),
    ("contempt", r"\beven (?:your|ur) own (?:mother|mum|mom|father|dad|family|kids|children|friends|sister|brother)\b"),
    ("contempt", r"\bif (?:you|u) (?:really|actually|truly|even|ever) (?:loved|cared about|cared for|gave a shit about|gave a damn about) (?:them|the kids|your kids|the children|your children|her|him)\b"),
    ("contempt", r"\b(?:go )?(?:cry|run|whine|crying|running) (?:back )?to (?:your|ur) (?:mummy|mommy|mum|mom|mama|mother|lawyer|friends)\b|\bcry me a river\b|\bboo ?hoo\b"),
    ("contempt", r"\b(?:they will|they ll|theyll|the kids will|kids will) (?:%(W)s )?(?:see|know|realise|realize|find out) (?:what|who) (?:kind of |sort of )?(?:a )?(?:%(PARENT)s|person|man|woman) (?:you|u) (?:were|are|really are)\b"),
    ("contempt", r"\bwhat a (?:sad|pathetic|sorry|miserable|small|weak|bitter|twisted|sick) (?:little )?(?:man|woman|person|individual|excuse|life|creature)\b"),
    # ---------------------------------------------------------------- pressure through the child
    ("child_pressure", r"\blet (?:%(W)s) tell (?:you|u) (?:himself|herself|themselves|why|what)\b"),
    ("child_pressure", r"\b(?:explain|tell|say) (?:it |that )?(?:to )?(?:the kids|them|the children) (?:yourself |then )?(?:why|how|that) (?:you|u|ur|youre)\b|\bexplain to the kids yourself\b"),
    ("child_pressure", r"\b(?:%(W)s) (?:says|said|told me|tells me|keeps saying) (?:that )?(?:she|he|they) (?:is|s|are|re|feels|feel|gets|get|was|were) (?:%(W)s )?(?:scared|afraid|frightened|unsafe|terrified|sad|unhappy) (?:%(W)s ){0,3}?(?:with you|at yours|of you|around you|at your place)\b"),
    ("child_pressure", r"\b(?:the kids|the children|they|he|she) (?:have|has|had) (?:seen|noticed|heard|witnessed) (?:what|how) (?:you|u)\b"),
    ("child_pressure", r"\b(?:tell|ask|remind) (?:daddy|mummy|mommy|mum|mom|dad|mama|papa)\b"),
    ("child_pressure", r"\b(?:told|tell|let|letting|telling)(?: %(W)s){0,3}? (?:that )?(?:daddy|mummy|mommy|their (?:dad|mum|mom|father|mother)|her (?:dad|mum|mom)|his (?:dad|mum|mom)|you)(?: %(W)s){0,8}? "
                       r"(?:rather|never|doesnt|dont|wont|cant|left|lied|lies|drinks|drinking|cheated|fault|broke|abandoned|walked out|dumped|hates|betrayed)\b",
     {"unless": r"\b(?:both love|love them|loves them|not their fault|proud)\b"}),
    ("child_pressure", r"\b(?:let|have|make) (?:%(W)s) ask (?:you|u) (?:himself |herself |themselves )?why\b"),
    ("child_pressure", r"\b(?:asked|asks|keeps asking|was asking) (?:me )?(?:if|why|whether) (?:daddy|mummy|mommy|dad|mum|mom|you|her (?:dad|mum|mom)|his (?:dad|mum|mom)) (?:%(W)s ){0,4}?(?:doesnt|dont|never|hates|left|lies|isnt|wont|anymore)\b"),
    ("child_pressure", r"\b(?:the kids|kids|they|he|she|the children|[a-z]+) (?:say|says|said|told me|tell me|keep saying) (?:themselves |himself |herself |it themselves )?(?:that )?(?:they|he|she) (?:hate|hates|cant stand|dont like|doesnt like|are scared|is scared|dread|dreads) (?:it |going |being )?(?:at yours|at your place|with you|your house|you|going to yours)\b"),
    ("child_pressure", r"\b(?:tell|ask|remind|show) (?:your|ur) %(PARENT)s\b"),
    ("child_pressure", r"\b(?:kids|children|they|he|she|%(W)s) (?:dont|doesnt|do not|does not|never) (?:even )?want to (?:see|visit|talk to|speak to|go to|stay with|be with|sleep at|come to|live with) (?:you|yours|your house|your place|u)\b"),
    ("child_pressure", r"\b(?:dont|doesnt|do not|does not|never) want to (?:go|come|sleep|stay)(?: %(W)s){0,2}? (?:to |at )?(?:yours|your place|your house)\b"),
    ("child_pressure", r"\b(?:told me|says|said|tells me) (?:himself|herself|themselves|it himself|it herself)? ?(?:that )?(?:he|she|they) (?:doesnt|dont|does not|do not|never) want (?:to )?(?:see|go|be|visit|stay)\b"),
    ("child_pressure", r"\b(?:cries|cried|screams|screamed|sobs|sobbed|panics|begs|begged)(?: %(W)s){0,3}? (?:every time|each time|whenever|every single time|before)(?: %(W)s){0,5}? (?:yours|your place|your house|your flat|see you|to you|with you)\b"),
    ("child_pressure", r"\beven (?:the kids|the children|your kids|your own kids|your son|your daughter|%(W)s) (?:says|said|say|think|thinks|know|knows|see|sees|can see) (?:that )?(?:you|u|ur|youre|your)\b"),
    ("child_pressure", r"\beven (?:the kids|the children|your kids|your own kids|your own children)\b"),
    ("child_pressure", r"\b(?:i will|i am going to|i am gonna|going to|gonna) (?:tell|show) (?:the kids|them|the children|%(KIDS)s) (?:what|how|who|about|that you|the truth|everything)\b"),
    ("child_pressure", r"\bi (?:just |will just |always |simply )?tell (?:the kids|them|the children|%(KIDS)s) (?:that )?(?:daddy|mummy|mommy|mum|mom|dad|you|your|their (?:dad|mum|mom|father|mother))\b"),
    ("child_pressure", r"\bi (?:told|have told) (?:them|the kids|the children|%(KIDS)s) (?:that )?(?:you|daddy|mummy|mommy|their (?:dad|mum|mom|father|mother))(?: %(W)s){0,6}? "
                       r"(?:broke|broken|cheated|lied|lie|left|ruined|fault|drink|drinks|never|dont|doesnt|wont|abandoned|destroyed|stole)\b"),
    ("child_pressure", r"\b(?:they|the kids|the children) (?:deserve|have a right|need) to know\b|\bthe kids know it\b|\b(?:the kids|they) (?:know|knew) (?:exactly )?(?:what|how|who) (?:you|u)\b"),
    ("child_pressure", r"\b(?:have|get|let|make) (?:%(W)s) (?:give|hand|pass|bring) (?:you|u) (?:the|this|that|a) (?:letter|note|message|bill|invoice|envelope)\b|\bgive (?:it|the letter|the note) to (?:%(W)s) to (?:give|pass)\b"),
    ("child_pressure", r"\b(?:%(W)s) can ask (?:you|u) (?:himself|herself|themselves|yourself)? ?why\b|\bask (?:%(W)s) why (?:he|she|they) (?:doesnt|dont|wont|never|is not|isnt)\b"),
    ("child_pressure", r"\basked (?:me )?why (?:mummy|mommy|mum|mom|daddy|dad|you|her (?:dad|mum|mom)|his (?:dad|mum|mom)) (?:always|never|keeps|lies|drinks|shouts|left|doesnt)\b"),
    ("child_pressure", r"\b(?:the kids|the children|they|he|she) (?:are|is|were|was|get|gets) (?:%(W)s )?(?:scared|afraid|frightened|terrified) of (?:you|u)\b"),
    ("child_pressure", r"\b(?:would|d) (?:much )?rather (?:be|live|stay) (?:with|at) (?:me|mine|my place)\b"),
    ("child_pressure", r"\b(?:i will|i am going to|gonna) show the kids what (?:you|u)\b|\bshow (?:the kids|them) what (?:you are|youre|ur) (?:really )?like\b"),
    # ---------------------------------------------------------------- blame
    ("blame", r"\b(?:same (?:old )?(?:story|thing|song|crap|rubbish)(?: every time| again| as always)?|(?:just |exactly )?(?:like|same as) always)\b"),
    ("blame", r"\b(?:unbelievable|incredible|ridiculous|outrageous|typical) (?:that|how) (?:you|u)\b|\bonly (?:telling|told|letting) me (?:this |that |it )?now\b"),
    ("blame", r"\b(?:you|u) (?:have |ve |just |went and )?(?:let|sent|forgot|forgotten|left|took|brought|did|done|missed|cancelled|canceled)\b(?: %(W)s){0,8} again\b|\b(?:no|another) (?:maintenance|money|payment|reply|answer) again\b|\bagain this month\b"),
    ("blame", r"\bsick (?:and tired )?of (?:always |constantly |having to |always having to )+\w+"),
    ("blame", r"\banother (?:excuse|lie|story)\b|\bnot surprised(?= ?[.!]|$)|\bwhat (?:else )?did i expect\b|\bwhy am i only (?:hearing|finding out)\b|\byou should have (?:told|said|asked|let me know|checked)\b"),
    ("blame", r"\b(?:cant|cannot|never|dont) (?:%(W)s ){0,2}?(?:anything|a single thing|one thing) (?:right|on time|properly|yourself)\b|\blast minute (?:again|as usual)\b"),
    ("blame", r"\b(?:you|u) (?:dont|do not) get to (?:decide|choose|tell me)\b|\bthat is not (?:your|ur) (?:decision|call) (?:alone|to make)\b"),
    ("blame", r"\b(?:everything|anything) (?:you can |possible )?to make (?:my life|things|it|this) (?:%(W)s )?(?:difficult|hard|harder|hell|impossible)\b|\bthis (?:cant|cannot|can not) go on\b"),
    ("blame", r"\bstop (?:going on|moaning|whining|nagging|banging on|harping on|kicking off)\b"),
    ("blame", r"\b(?:your|ur|yr) (?:own )?fault\b|\bbecause of (?:you|u|your %(W)s)\b|\bthanks to (?:you|u)\b(?! (?:we had|for|so much))|\bblame (?:yourself|you)\b"),
    ("blame", r"\b(?:you are|youre|ur|you r) the one (?:who|that)\b|\byou (?:started|began) (?:it|this|all this)\b"),
    ("blame", r"\b(?:you|u) (?:have |ve |always |just |completely |totally )?(?:ruined|ruin|wrecked|wreck|messed up|screwed up|fucked up|spoiled|spoilt|blew|destroyed)\b"),
    ("blame", r"\blate again\b|\bagain late\b|\b(?:forgot|forgotten|cancelled|canceled) (?:it |them |her |him )?again\b|\btypical(?: you| of you)?(?= ?[.!?,]|$)|\bas (?:usual|always)\b|\bfor once\b"),
    ("blame", r"\b(?:you|u) (?:never|dont|do not|didnt|did not|wont|will not) (?:even )?(?:listen|stick to|keep to|keep your word|hear|read)\b"),
    ("blame", r"\b(?:you|u) (?:only|just) (?:ever )?(?:think|care) (?:about|of) (?:yourself|you|number one)\b"),
    ("blame", r"\bif (?:you|u) (?:had|got|kept) (?:your|ur) (?:stuff|shit|life|act|things|head) (?:together|sorted|in order|straight)\b"),
    ("blame", r"\bstill waiting (?:for|on)\b|\b(?:so )?where is it(?= ?[.,!?]|$)|\byou promised\b|\bkeeps happening\b|\bhappens every time\b"),
    ("blame", r"\b(?:sick|tired|sick and tired|fed up) (?:of|with) (?:your|ur|you|this|all this|all of this|it all)\b|\bi have had it\b|\bi am done with (?:you|this|your)\b"),
    ("blame", r"\b(?:your|ur) (?:excuses|lies|bullshit|nonsense|crap|games|drama|mess)\b"),
    ("blame", r"\b(?:forgetting|forgot|forget) (?:your|ur) own (?:daughter|son|kid|child|childs|kids)\b|\byour own (?:daughter|son|kid|child)s?\b"),
    ("blame", r"\bcan (?:you|u) (?:finally|at last|for once)\b|\bdont you dare\b|\bhow dare you\b"),
    ("blame", r"\b(?:you|u) (?:always|just) do (?:whatever|what) (?:you|u) (?:want|like|please)\b|\bwhy does (?:everything|it always)\b"),
    ("blame", r"\b(?:booked|planned|took|taken|claimed|stole|nicked) (?:my|our) (?:%(W)s )?(?:again|weekend|day|time)\b|\bthat is not happening\b|\bthats not happening\b|\bnot happening(?= ?[.!]|$)"),
    ("blame", r"\bkeep (?:your|ur) word for once\b|\bi (?:just )?expect (?:you|u) to\b"),
    # ---------------------------------------------------------------- sarcasm
    ("sarcasm", r"\b(?:lovely|great|nice|brilliant|fantastic|wonderful) ,? (?:finding (?:this|that|it) out|to find out|to hear|hearing) (?:this |that |it )?(?:from|via|through)\b|\bshocking(?= ?[.!]|$)|\bwhat a shock\b"),
    ("sarcasm", r"\b(?:gee|wow|oh)?,? ?how (?:thoughtful|kind|nice|considerate|sweet|good|generous) of (?:you|u) to\b"),
    ("sarcasm", r"(?:🙄|😒|🙃(?= ?(?:[.!?]|$))(?!.*(?:good|fine|fun|love|all good)))"),
    ("sarcasm", r"\boh (?:sure|really|great|wow|brilliant|perfect|lovely|right)\b|\byeah right\b|\bsure jan\b|\bas if(?= ?[.,!?]|$| that| you| i)|\bwhatever(?: you say| then)?(?= ?[.,!?🙄]|$)"),
    ("sarcasm", r"\bwhat a surprise\b|\bbig surprise\b|\bshocker\b|\bsurprise surprise\b|\bcolou?r me shocked\b"),
    ("sarcasm", r"\b(?:great|good|nice|brilliant) job(?: as usual| again| there)\b|\bwell done(?: ,)? (?:forgetting|again|as usual|you)\b|\bnice (?:one|going|work)(?: again| as usual)\b"),
    ("sarcasm", r"\b(?:well )?that is just (?:great|perfect|brilliant|lovely|fantastic|wonderful)\b|\bjust (?:great|perfect|brilliant|lovely|fantastic|wonderful)(?= ?[.,!]|$)|\bthanks a lot(?: ,)? (?:another|again|for nothing)\b|\bthanks for nothing\b"),
    ("sarcasm", r"\bnice of (?:you|u) to (?:finally|actually|bother|show|let me know|turn up|grace)\b|\bhow (?:kind|nice|generous|thoughtful) of (?:you|u)(?= ?[.,!?]|$)"),
    ("sarcasm", r"\bsorry for (?:existing|breathing|living|asking)\b"),
    ("sarcasm", r"\b(?:real|very|so|how) mature\b"),
    ("sarcasm", r"\blets just (?:agree|say|pretend) (?:that )?(?:you|u) (?:never|dont)\b"),
    ("sarcasm", r"\banother (?:weekend|day|evening|holiday|birthday|christmas) ruined\b|\bwell that was (?:fun|lovely|great|nice)\b"),
    ("sarcasm", r"👏(?: ?👏)", {"weak": True}),
    ("sarcasm", r"(?:^|[.,!?] )wow(?= ?[.,!])(?! (?:amazing|great|lovely|congrats|well done))", {"weak": True}),
    # ---------------------------------------------------------------- demand, pressure to answer now
    ("demand", r"\b(?:just|please just|now) answer (?:my|the) (?:question|message|text)\b|\banswer the (?:damn|fucking|bloody) question\b"),
    ("demand", r"\bi want (?:an answer|a reply|a response|to know)(?: %(W)s){0,2}? (?:by|before|within|tonight|today|now)\b|\bstill waiting for (?:your|a|an) (?:reply|answer|response|call)\b"),
    ("demand", r"\b(?:answer|reply|respond|call|text|ring|pick up|get back to)(?: (?:me|the phone|your phone))? (?:now|right now|immediately|asap|this minute|straight away|at once)\b"),
    ("demand", r"(?:^|[.,!?] )(?:answer me|reply|respond|answer|answer the phone|pick up|call me back)(?: ?[!?]|$)"),
    ("demand", r"\bi (?:want|need|demand|expect) (?:an answer|a reply|a response|to know|an explanation)(?: %(W)s){0,2}? (?:now|today|tonight|immediately|right now|by \d+|within)\b|\bi demand\b|\bi expect (?:an answer|a reply|a response)\b"),
    ("demand", r"\bwithin (?:the|an|one|1|two|2|the next|half an|30|10|15) (?:hour|hours|minutes|mins)\b"),
    ("demand", r"\bpick up (?:your|ur|the) (?:phone|fucking phone|damn phone)\b|\banswer (?:your|ur|the) (?:phone|texts|messages)\b"),
    ("demand", r"\bwhy (?:are you|arent you|r u|are u|wont you|dont you|do you) (?:not )?(?:answering|replying|responding|picking up|ignoring me|reply|answer|pick up)\b"),
    ("demand", r"(?:^|[.,!?] )(?:hello|helloo|hellooo|hi|hey|oi|earth to %(W)s)(?: ?\?)|\?\s*\?\s*\?"),
    ("demand", r"\byou have until (?:tomorrow|tonight|noon|midday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+)\b|\bor else\b"),
    ("demand", r"\b(?:now|today|immediately) \. (?:now|today|immediately)\b"),
    ("demand", r"\bif (?:you|u) (?:dont|do not) (?:reply|answer|respond|get back to me)(?: by| within| before)\b|\bor i will (?:sort|do|call|go|take)\b"),
    # ---------------------------------------------------------------- lecturing
    ("lecturing", r"\bmaybe (?:try|you should try|learn to|you could try) (?:planning|thinking|listening|reading|being|organising|organizing)\b|\bthink (?:first |for once )?before (?:you|u) (?:promise|say|do|open|make|agree|speak)\b"),
    ("lecturing", r"\b(?:it is|its) (?:about )?time (?:that )?(?:you|u) (?:started |began |learned |learnt )?(?:grew up|behaving|behaved|acting|acted|took|learn|learned|grow up|act)\b|\bbehaving like a grown ?up\b"),
    ("lecturing", r"\bdo (?:you|u) (?:even|actually|ever) (?:read|listen|check)\b|\bwhy is it (?:so|that) (?:hard|difficult)\b"),
    ("lecturing", r"\bhow many (?:more )?times (?:do|must|have|will|did) i (?:have to )?(?:tell|say|explain|ask|remind)\b"),
    ("lecturing", r"\bfor the (?:hundredth|hundreth|millionth|thousandth|umpteenth|nth|100th|1000th|last) time\b(?= ?[:,.!]| (?:she|he|you|the|it|i|please))"),
    ("lecturing", r"\bgrow up\b|\bact (?:like an adult|your age|like a grown up|like a parent)\b|\bbehave yourself\b|\bget (?:your|a) (?:act|grip|life) together\b|\bget a grip\b|\bget a life\b"),
    ("lecturing", r"\b(?:it is|its) not (?:that|so|exactly) (?:hard|difficult|complicated)\b|\bnot rocket science\b|\bis (?:it|that) (?:really )?(?:that|so) (?:hard|difficult)\b"),
    ("lecturing", r"\b(?:you|u) (?:really |still |just |clearly )?(?:dont|do not|never) get it\b|\bdo you (?:even )?understand\b"),
    ("lecturing", r"\b(?:you|u) (?:need|have|ought) to (?:ask yourself|learn|understand|realise|realize|look at yourself|take responsibility)\b|\buse your (?:brain|head)\b|\bthink for once\b"),
    ("lecturing", r"\bi (?:have|ve) (?:already )?told (?:you|u) (?:\d+|two|three|four|five|ten|a hundred|a million|so many|many|countless) times\b|\bas i (?:have )?(?:already )?(?:said|told you|explained)\b"),
    ("lecturing", r"\btake (?:some )?responsibility\b|\bread (?:what i (?:wrote|said)|my (?:message|messages|text) (?:properly|again))\b"),
    # ---------------------------------------------------------------- legal step announced
    ("legal", r"\b(?:i am|im|i will be|we are) (?:going|going straight|raising|taking|reporting) (?:this |it )?(?:to|with) (?:my |the |a )?(?:solicitor|lawyer|court|judge|police|mediator|practitioner|social services)\b"),
    ("legal", r"\b(?:i|we)\b(?: %(W)s){0,3}? (?:will|going to|am going to|am|are|shall|gonna|have to|may have to|might)(?: %(W)s){0,2}? "
              r"(?:take|taking|contact|contacting|call|calling|report|reporting|see|seeing|go|going|get|getting|involve|involving|speak|speaking|file|filing|apply|applying|instruct|instructing)\b"
              r"(?: %(W)s){0,4}? (?:court|courts|judge|lawyer|lawyers|solicitor|solicitors|attorney|police|cops|social services|cps|cafcass|child protection|injunction|legal action|complaint|order)\b"),
    ("legal", r"\b(?:goes|go|going) to (?:my|the|a) (?:lawyer|solicitor|attorney|court|judge|police)\b|\bthe (?:practitioner|mediator|judge|court|police|lawyer) (?:is going to|will|is gonna) (?:hear about|know about|see) (?:this|it)\b|\b(?:taking|take) (?:this|you|it) to court\b|\bsee you in court\b"),
    # ---------------------------------------------------------------- swearing at the other's things and doings
    ("profanity", r"\b(?:your|ur|you|u)\b(?: %(W)s){0,3}? (?:fucking|fuckin|shitty|shit|damn|goddamn|bloody|crappy|crap|bullshit)\b(?! (?:sake))"),
    ("profanity", r"\b(?:shitty|crappy|bullshit|fucking|damn|goddamn) (?:%(W)s )?(?:arrangement|schedule|excuse|excuses|plan|forms|attitude|phone|lawyer|behaviour|behavior|messages|rules|agreement)\b"),
    ("profanity", r"\bbullshit\b|\bthis shit\b|\ball this shit\b"),
]
