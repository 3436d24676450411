"""Labelled examples the router compares each request with: ``EXAMPLES``, (text, route) pairs.

About 55 English examples per route, in varied phrasings and lengths, some with pasted text or code;
about 20 Korean ones per route and a few per route in Japanese, Chinese, German and Spanish
(``_OTHER_LANGUAGES``). The held-out sets the router is measured on (``bench/router_labelled.json``,
``bench/router_heldout_languages.json``) share none of them: add new examples here, and new test cases
there, never the same sentence in both.
"""

from __future__ import annotations

_CHAT = """hey
good night!
how's your day going?
why is the sky blue?
what's a good board game for four people?
who is the president of France?
what's the plural of cactus?
should I bring an umbrella if it's cloudy?
what's a quick vegetarian lunch idea?
how do I get a coffee stain out of a shirt?
lol that's funny
which is bigger, a lion or a tiger?
my cat keeps scratching the sofa, any tips?
I have a meeting at 3, how do I stay focused until then?
what's 7 plus 6?
hi there
hello, how are you today?
good morning!
thanks, that helps a lot
tell me a joke
what's the capital of France?
who wrote Pride and Prejudice?
how many days are in a leap year?
what does 'ephemeral' mean?
recommend a good sci-fi book
what time zone is Tokyo in?
how do I boil an egg?
what's a good name for a cat?
can you give me a fun fact about octopuses?
what is the boiling point of water?
how tall is Mount Everest?
what's the difference between a cold and the flu?
suggest something to cook for dinner tonight
who are you?
what can you do?
how do you say thank you in Japanese?
is a tomato a fruit or a vegetable?
what's a synonym for happy?
tell me something interesting
I'm bored, any ideas?
how many ounces are in a cup?
what year did the Berlin Wall fall?
what's the weather usually like in Lisbon in May?
give me a quick tip for sleeping better
convert 5 miles to kilometres
what is photosynthesis in one sentence?
who painted the Mona Lisa?
what's 15% of 80?
how long should I steep green tea?
nice, thank you!
ok bye
what rhymes with orange?
name three primary colours
how do I say hello in Spanish
what's your favourite movie?""".splitlines()

_DOCUMENTS = """what's the due date on the electricity bill I saved?
go through my notes and list every deadline
which of my scanned letters mention the council?
what does the user guide for my dishwasher say about descaling?
in the slides I added, what's the revenue target?
what's my policy number on the car insurance documents?
find the part of my will that covers the house
what does our team handbook say about expenses?
from the PDFs in my library, which paper has the largest sample size?
when was the last service according to my car records?
what allergies are listed in my medical records?
show me what my diary says about March
does the tenancy contract mention a break clause?
how much did I pay for the sofa, according to my receipts?
what are the opening hours listed in the brochure I indexed?
what does my lease say about pets?
summarize the report I added to the library
in my notes, when is the dentist appointment?
according to my documents, what is the notice period?
find where my contract mentions overtime
what did the meeting minutes decide about the budget?
search my files for the warranty terms
which of my PDFs talks about the insurance deductible?
what's the deadline in the project plan I indexed?
according to the manual, how do I reset the router?
what does the handbook say about vacation days?
in the paper I uploaded, what dataset did they use?
look up the invoice total in my documents
what are the key findings of the study in my library?
does my insurance policy cover water damage?
what did I write about the trip to Rome in my journal?
what's the return policy in the terms I saved?
quote the section of my thesis about methodology
which document mentions the arctic tern?
from my notes, what were the action items last week?
what does page 3 of the report say about revenue?
check my files: when does the warranty expire?
what is the maximum dose according to the leaflet I added?
where in my documents is the password policy described?
summarize chapter 2 of the book in my library
what do my lecture notes say about entropy?
according to the tax letter, how much do I owe?
what are the payment terms in the supplier agreement?
what did the doctor's letter say about my results?
in the indexed docs, who is the project sponsor?
find the clause about termination in my employment contract
what does the README in my folder say about installation?
from the meeting transcript, who agreed to follow up?
which of my files has the recipe for lasagne?
what does the mortgage offer say about early repayment?
what did the inspector's report find in the kitchen?
according to the spec sheet, what is the battery capacity?
look in my documents for the wifi password
what's in the minutes from the board meeting?
what does the syllabus say about the final exam?""".splitlines()

_WRITING = """make this sound more confident: I think maybe I could possibly lead the project
write a poem about the sea for my grandmother
draft a reply to this email: Hi, can we move our call to Thursday?
translate into Swedish: thank you for your hospitality
rewrite this for a ten-year-old: Photosynthesis converts light energy into chemical energy stored in glucose.
fix the punctuation in this: lets eat grandma said the boy
turn my notes into a short paragraph: - met client - agreed price - start in June
write a limerick about a lazy dog
help me word a text to my landlord saying the rent will be late
simplify this: Pursuant to the regulations, all personnel must vacate the premises
give me three headline options for an article about urban gardening
paraphrase this quote: Be the change you wish to see in the world
write an out-of-office message for my holiday
make my CV summary more impressive: hardworking person with retail experience
proofread this: I recieved you're letter yesterday and their is a problem
fix the grammar in this paragraph: me and him goes to the store every days
rewrite this to sound more formal: hey, can u send me the stuff asap
make this email friendlier: Your request is denied. Do not contact us again.
shorten this: We are writing to let you know that we have received your application and we will review it
translate to French: Where is the train station?
translate this into German: I would like a coffee, please
summarize this text: The committee met on Tuesday to discuss the budget and agreed to cut spending
draft an email to my landlord about the broken heating
write an email to my boss asking for Friday off
turn these bullet points into an email: - meeting moved to 3pm - bring the slides - lunch provided
continue this story: The door creaked open and
expand this into a paragraph: solar panels save money
rephrase this sentence: The results were not good
make this more concise: In order to be able to make a decision, we need to have more information
help me write a cover letter for a junior designer job
write a thank-you note to my neighbour for watering the plants
polish this paragraph for my blog: i think cooking at home is good because its cheap
check the spelling: Definately the best restaurant in town
write a short bio for my LinkedIn profile: nurse, 10 years, paediatrics
improve the wording of this tweet: our new app is out check it out
draft a polite reminder that the invoice is overdue
rewrite this in plain English: The aforementioned party shall indemnify the other party
make this sound less aggressive: Why haven't you answered my email yet?
write a birthday message for my sister
edit this for clarity: The thing with the report is that it is kind of not done
translate to Spanish: The meeting is cancelled
summarise the following: Lorem ipsum is placeholder text used in publishing and graphic design
write a product description for handmade candles
draft a resignation letter, friendly tone
correct my English: She don't like apples and he have two cars
reword this so it's more professional: the project is kinda late lol
write a short speech for my friend's wedding
compose an apology email for missing the meeting
tighten up this intro: Hello everyone, today I'm going to be talking to you about something
give this paragraph a friendlier tone: Payment is required within 7 days
write a caption for a photo of a sunset at the beach
make this text shorter and punchier: Our company has been providing quality services for many years
translate 'good luck with your exam' into Italian
proofread my message: Hope your well, lets catch up soon""".splitlines()

_COMPLEX = """prove by induction that the sum of the first n odd numbers is n^2
design a caching layer for a read-heavy API and explain invalidation strategies
write a multithreaded web crawler in Go with rate limiting
what's the probability that two people in a room of 30 share a birthday? derive it
plan a 10-day road trip through Scotland with driving times and a budget
explain how public-key cryptography works, including the maths behind RSA
how would I scale a Postgres database to handle 100k writes per second?
analyse the pros and cons of nuclear power versus renewables for a country's energy mix
find the bug: for (var i = 0; i < 5; i++) { setTimeout(() => console.log(i), 100); } prints 5 five times
solve the recurrence T(n) = 2T(n/2) + n and explain the result
what would happen to the global economy if the US dollar lost reserve currency status? reason it through
write a tokenizer and recursive-descent parser for arithmetic expressions in TypeScript
which machine learning approach should I use for fraud detection with very imbalanced data, and why?
model the cash flow of a rental property over 10 years with a mortgage and vacancies
prove that there are infinitely many prime numbers
design a database schema for a hospital and explain the tradeoffs
write a lock-free queue in C++ with memory ordering explained
plan a three-week itinerary through Japan on a budget, day by day
explain the proof of the Cauchy-Schwarz inequality step by step
compare microservices and a monolith for a startup with 5 engineers, with pros and cons
solve this integral: the integral of x^2 e^x dx, showing every step
what are the implications of quantum computing for RSA encryption?
write a Python function that finds the longest palindromic substring in O(n) and explain it
analyse the causes of the 2008 financial crisis in depth
create a 12-week marathon training plan for a beginner
debug this race condition in my Go code where two goroutines write to a map
derive the formula for the variance of a binomial distribution
how would you architect a real-time collaborative text editor like Google Docs?
explain how transformers and attention work mathematically
build a business plan for a coffee shop including costs and revenue projections
what is the time complexity of Dijkstra's algorithm with a Fibonacci heap and why?
write a SQL query to find the second highest salary per department, then optimise it
evaluate the arguments for and against universal basic income
solve the system of equations 3x + 2y = 12 and x - y = 1, explain each step
design a REST API for a library management system with authentication
explain general relativity to a physics graduate, including the field equations
refactor this 500-line class into a clean architecture and justify the design
how do I implement a Raft consensus algorithm?
what is the optimal strategy in the Monty Hall problem and why? give a rigorous argument
plan the migration of a large PostgreSQL database to a new cluster with zero downtime
write a compiler for a small arithmetic language in Rust
estimate how many piano tuners there are in Chicago, showing your reasoning
optimise this neural network training loop that runs out of GPU memory
compare the economic policies of Keynes and Hayek in detail
prove that the square root of 2 is irrational
devise a study plan to learn linear algebra and real analysis in six months
what are the security risks in this OAuth flow and how do I fix them?
calculate the eigenvalues of the matrix [[2,1],[1,3]] and explain what they mean
write a detailed strategy to reduce churn for a SaaS product
explain the differences between TCP congestion control algorithms like CUBIC and BBR
design an experiment to test whether a new drug lowers blood pressure, including statistics
implement a red-black tree with insertion and deletion in Java
break down the pros and cons of renting versus buying a house over 20 years with numbers
reason step by step: a train leaves at 3pm at 80 km/h, another at 4pm at 100 km/h; when do they meet?""".splitlines()

# Requests in other languages. The bundled embedder is English-only (Hangul reaches it as broken jamo,
# much of Han and kana as unknown tokens), so these carry their languages mostly through the router's
# character n-gram similarity: every route gets as many Korean examples (and, per other language, as
# many examples) as the others, or a request would lean to whichever route has most text in its script.
# Most are translations of the English examples above, in the wording a person would type.
_KOREAN = {
    "chat": """안녕하세요, 오늘 기분이 어때요?
점심 메뉴 추천해 줄래?
고마워요, 정말 도움이 됐어요
서울에서 부산까지 기차로 얼마나 걸려?
재미있는 이야기 하나 해 줘
김치찌개 끓이는 법 알려줘
잠이 안 올 때 어떻게 하면 좋을까요?
하늘은 왜 파란색이야?
네 명이서 할 만한 보드게임 추천해 줘
셔츠에 묻은 커피 얼룩은 어떻게 지워?
우리 고양이가 자꾸 소파를 긁어요, 좋은 방법 없을까요?
프랑스의 수도가 어디야?
에베레스트 산 높이가 얼마나 돼?
녹차는 몇 분 동안 우려야 해?
좋은 공상과학 소설 한 권 추천해 줘
너는 누구야? 뭘 할 수 있어?
ㅋㅋ 그거 웃기다
잘 자, 내일 또 얘기하자
광합성이 뭐야? 한 문장으로 설명해 줘
달까지 거리가 얼마나 돼?
비빔밥에는 어떤 재료가 들어가?
한국에서 가장 큰 섬은 어디야?
주말에 집에서 뭐 하면 좋을까?
스트레스 풀기 좋은 방법 있어?
'감사합니다'를 일본어로 뭐라고 해?
신나는 노래 몇 곡 추천해 줘""",
    "documents": """내 회의록에서 다음 주 마감일이 언제야?
제 계약서에 해지 조항이 있나요?
내 메모에서 지난주 할 일 목록을 정리해 줘
임대 계약서에 수리비는 누가 낸다고 되어 있어?
저장해 둔 전기 요금 고지서 납부 기한이 언제야?
업로드한 매뉴얼에 따르면 공유기 초기화는 어떻게 해?
내 문서들 중에서 와이파이 비밀번호가 적힌 파일 찾아 줘
추가한 연구 자료 중에 표본 수가 가장 큰 게 어떤 거야?
보험 증권 파일에 보장 범위가 어떻게 되어 있어?
팀 핸드북 문서에는 출장비 규정이 뭐라고 되어 있어?
진료 기록에 적힌 알레르기가 뭐야?
카드 명세서 파일에서 지난달 식비 합계가 얼마야?
이사회 회의록에서 결정된 사항이 뭐야?
내 일기에서 로마 여행에 대해 쓴 부분 찾아 줘
근로 계약서에서 초과 근무 수당 조항을 찾아 줘
라이브러리에 넣은 보고서 요점이 뭐야?
색인한 문서에서 프로젝트 책임자가 누구로 나와 있어?
수업 계획서 파일에 기말고사 범위가 어떻게 적혀 있어?""",
    "writing": """이 문장을 자연스럽게 다듬어 주세요: 저는 내일 회의에 참석을 못 할 것 같습니다
다음 글을 영어로 번역해 주세요: 오늘 회의는 3시에 시작합니다
맞춤법 좀 고쳐 줘: 어제 친구를 만낫는데 너무 반가웟다
이 이메일을 더 정중하게 써 주세요: 자료 빨리 보내세요
이 내용을 세 줄로 요약해 주세요: 올해 매출은 작년보다 늘었고 비용은 줄었다
집주인에게 난방이 고장 났다고 알리는 메일 초안 좀 써 줘
할머니께 드릴 바다에 관한 시를 써 줘
이 문장 좀 더 자신감 있게 바꿔 줄래: 제가 어쩌면 그 프로젝트를 맡을 수도 있을 것 같아요
이 글을 열 살 아이도 이해하게 쉽게 풀어 써 줘: 광합성은 빛 에너지를 화학 에너지로 바꾼다
회의에 빠진 것에 대한 사과 이메일을 작성해 주세요
금요일 휴가를 요청하는 메일을 상사에게 써 줘
이 문장을 좀 더 짧고 임팩트 있게 만들어 줘: 저희 회사는 오랜 기간 동안 고품질의 서비스를 제공해 왔습니다
이 글 교정 부탁해요: 회의 자료는 금요일 까지 제출 해주시기 바람니다
이 단락을 더 부드러운 말투로 고쳐 주세요: 7일 안에 결제하지 않으면 서비스가 중단됩니다
이 메시지를 높임말로 고쳐 주세요: 회의 자료 내일까지 줘
이 이야기 뒷부분을 이어서 써 줘: 그날 밤 마을에 눈이 내렸다
링크드인 프로필에 쓸 짧은 자기소개 글을 써 줘""",
    "complex": """귀납법으로 처음 n개의 홀수의 합이 n^2 임을 증명해 줘
읽기가 많은 API를 위한 캐시 계층을 설계하고 무효화 전략을 설명해 줘
Go로 속도 제한이 있는 멀티스레드 웹 크롤러를 작성해 줘
스코틀랜드 10일 자동차 여행 계획을 운전 시간과 예산까지 포함해서 짜 줘
공개 키 암호가 어떻게 작동하는지 RSA의 수학까지 포함해서 설명해 줘
초당 10만 건 쓰기를 처리하도록 Postgres를 어떻게 확장해야 할까?
원자력과 재생 에너지의 장단점을 국가 에너지 정책 관점에서 분석해 줘
점화식 T(n) = 2T(n/2) + n 을 풀고 결과를 설명해 줘
병원용 데이터베이스 스키마를 설계하고 트레이드오프를 설명해 줘
루트 2가 무리수라는 것을 증명해 줘
퀵 정렬의 평균 시간 복잡도가 왜 O(n log n)인지 설명해 줘
x^2 e^x 의 적분을 모든 단계를 보여 주면서 풀어 줘
스타트업에 마이크로서비스와 모놀리스 중 무엇이 나은지 장단점을 비교해 줘
실시간 공동 편집기 같은 서비스를 어떻게 설계할지 아키텍처를 설명해 줘
2008년 금융 위기의 원인을 깊이 있게 분석해 줘
자바로 레드블랙 트리의 삽입과 삭제를 구현해 줘
6개월 안에 선형대수와 해석학을 공부하는 계획을 세워 줘
집을 20년 동안 사는 것과 빌리는 것을 숫자로 비교 분석해 줘""",
}
_FEW = {
    "chat": """こんにちは、元気ですか？
東京のおすすめの観光地は？
面白い話をして
月までの距離はどれくらい？
週末におすすめの過ごし方は？
你好，今天过得怎么样？
中国的首都是哪里？
给我讲个笑话吧
月球离地球有多远？
周末在家可以做些什么？
Wie spät ist es gerade in Tokio?
Erzähl mir einen Witz
Wie lange muss man ein Ei kochen?
¿Qué me recomiendas cenar hoy?
¿Cuál es la capital de Australia?
Hola, ¿cómo estás?
Quelle est la capitale de l'Australie ?""",
    "documents": """私のメモによると、次の締め切りはいつ？
追加したマニュアルでは、ルーターのリセット方法はどう書いてある？
保存した議事録で予算について何が決まった？
我的笔记里提到的预算是多少？
我上传的保险单里写的免赔额是多少？
根据合同，通知期是多久？
Was sagen meine Notizen über den Zahnarzttermin?
Laut meinem Arbeitsvertrag: wie lang ist die Kündigungsfrist?
Finde in meinen Unterlagen das WLAN-Passwort
¿Qué dicen mis notas sobre la cita con el dentista?
Según el contrato que guardé, ¿cuál es el plazo de preaviso?
Busca en mis documentos la contraseña del wifi""",
    "writing": """この文章を丁寧に書き直してください：明日までに資料を送って
次の文を英語に翻訳して：会議は三時に始まります
このメールを要約してください：来週の会議は延期になりました
请把这段话翻译成英文：我们明天下午开会
帮我润色一下这段文字：我觉得这个产品很好用
帮我写一封请假的邮件
Übersetze bitte ins Englische: Wir treffen uns morgen um neun.
Korrigiere die Fehler in diesem Satz: Ich habe gestern mein Freund getroffen
Schreib mir eine kurze Einladung zum Geburtstag
Corrige les fautes de ce texte : je suis aller au marché hier
Reescribe este correo de forma más formal: oye, mándame el informe ya
Resume este texto en dos frases: el comité se reunió el martes y aprobó el presupuesto
Escríbeme un mensaje de cumpleaños para mi hermana""",
    "complex": """平方根2が無理数であることを証明して
読み込みの多いAPIのキャッシュ層を設計して、無効化の戦略を説明して
二分探索のアルゴリズムを実装して計算量を説明して
证明存在无穷多个素数
设计一个医院的数据库结构，并解释其中的取舍
用Python实现一个LRU缓存，并分析时间复杂度
Beweise, dass die Wurzel aus 2 irrational ist
Entwirf eine REST-API für eine Bibliothek mit Authentifizierung
Erkläre Schritt für Schritt, wie der Dijkstra-Algorithmus funktioniert
Demuestra por inducción que la suma de los primeros n impares es n^2
Diseña un esquema de base de datos para un hospital y explica las decisiones
Implementa un árbol rojo-negro en Java y explica su complejidad""",
}
_OTHER_LANGUAGES = tuple(
    (text, route) for group in (_KOREAN, _FEW) for route, texts in group.items() for text in texts.splitlines()
)

# Requests with pasted text or code over several lines.
_MULTILINE = (
    (
        "Please proofread this email before I send it. Hi team, just a reminder that the the report is due on "
        "friday. Let me know if their are any questions, and thanks again for all the hard work this month.",
        "writing",
    ),
    (
        "Can you tidy up the wording of this?\n\nHi all,\nThe office will be closed on monday because of the "
        "bank holiday, so please plan you're deliveries accordingly. Any questions, ask me.\nBest, Priya",
        "writing",
    ),
    (
        "translate this menu into Italian:\nTomato soup with basil\nGrilled chicken with lemon potatoes\n"
        "Chocolate cake",
        "writing",
    ),
    (
        "아래 메모를 한 단락으로 정리해 줘:\n- 고객 미팅\n- 가격 합의\n- 6월 시작\n- 다음 주에 계약서 서명",
        "writing",
    ),
    (
        "```c\nint *p = malloc(10 * sizeof *p);\nfree(p);\nfree(p);\n```\nexplain exactly what goes wrong "
        "here and how sanitizers catch it",
        "complex",
    ),
    (
        "def fib(n):\n    return fib(n - 1) + fib(n - 2)\n\nwhy does this never finish and how do I make it "
        "run in linear time?",
        "complex",
    ),
)

EXAMPLES: tuple[tuple[str, str], ...] = (
    tuple(
        (text, route)
        for route, texts in (("chat", _CHAT), ("documents", _DOCUMENTS), ("writing", _WRITING), ("complex", _COMPLEX))
        for text in texts
    )
    + _OTHER_LANGUAGES
    + _MULTILINE
)
