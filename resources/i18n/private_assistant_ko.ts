<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Private Assistant</source>
        <translation>Private Assistant 정보</translation>
    </message>
    <message>
        <source>&lt;p&gt;A private assistant: the model runs on this computer, your documents stay here, and the cloud is used only for requests you approve.&lt;/p&gt;</source>
        <translation>&lt;p&gt;나만의 비서입니다. 모델은 이 컴퓨터에서 실행되고, 문서는 이 컴퓨터에 남으며, 클라우드는 승인한 요청에만 사용됩니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Your data: &lt;code&gt;{folder}&lt;/code&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;데이터 위치: &lt;code&gt;{folder}&lt;/code&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>license text</source>
        <translation>라이선스 전문</translation>
    </message>
    <message>
        <source>Bundled models</source>
        <translation>함께 제공되는 모델</translation>
    </message>
    <message>
        <source>Libraries</source>
        <translation>라이브러리</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;small&gt;Qt is used under the LGPL-3.0: its libraries are separate files in the app folder and can be replaced with your own build.&lt;/small&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;small&gt;Qt는 LGPL-3.0에 따라 사용됩니다. Qt 라이브러리는 앱 폴더에 별도 파일로 들어 있으며 직접 빌드한 것으로 바꿀 수 있습니다.&lt;/small&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{license}: see {url}</source>
        <translation>{license}: {url} 참고</translation>
    </message>
</context>
<context>
    <name>AnswerFrom</name>
    <message>
        <source>No collections yet: add documents on the Library page</source>
        <translation>아직 컬렉션이 없습니다. 라이브러리 페이지에서 문서를 추가하세요</translation>
    </message>
    <message>
        <source>this chat only</source>
        <translation>이 대화만</translation>
    </message>
    <message>
        <source>Answer from: {collections}</source>
        <translation>답변 출처: {collections}</translation>
    </message>
    <message>
        <source>Choose document collections this conversation answers from, with citations</source>
        <translation>이 대화가 인용과 함께 답변할 문서 컬렉션을 고르세요</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>email address</source>
        <translation>이메일 주소</translation>
    </message>
    <message>
        <source>phone number</source>
        <translation>전화번호</translation>
    </message>
    <message>
        <source>card number</source>
        <translation>카드 번호</translation>
    </message>
    <message>
        <source>IBAN</source>
        <translation>IBAN</translation>
    </message>
    <message>
        <source>key or token</source>
        <translation>키 또는 토큰</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP 주소</translation>
    </message>
    <message>
        <source>name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Send to {provider}?</source>
        <translation>{provider}(으)로 보낼까요?</translation>
    </message>
    <message>
        <source>This request would leave your computer for &lt;b&gt;{provider}&lt;/b&gt;. Nothing is sent unless you click &lt;b&gt;Send&lt;/b&gt;. Detected personal details are replaced by placeholders and put back in the reply on this computer.</source>
        <translation>이 요청은 컴퓨터를 떠나 &lt;b&gt;{provider}&lt;/b&gt;(으)로 전송됩니다. &lt;b&gt;보내기&lt;/b&gt;를 누르기 전에는 아무것도 전송되지 않습니다. 감지된 개인 정보는 자리 표시자로 바뀌어 전송되고, 답변을 받으면 이 컴퓨터에서 원래대로 되돌립니다.</translation>
    </message>
    <message>
        <source>Question to send</source>
        <translation>보낼 질문</translation>
    </message>
    <message>
        <source>Include the earlier conversation ({count} messages)</source>
        <translation>이전 대화 포함 (메시지 {count}개)</translation>
    </message>
    <message>
        <source>Include passages from your documents ({count})</source>
        <translation>문서의 구절 포함 ({count}개)</translation>
    </message>
    <message>
        <source>Direction overrides, zero-width and tag characters change how text reads without being seen. They are removed unless you keep them; kept, the exact request shows each one as \uXXXX.</source>
        <translation>방향 재정의, 폭 없는 문자, 태그 문자는 보이지 않게 텍스트가 읽히는 방식을 바꿉니다. 유지하지 않으면 제거되며, 유지하면 실제 요청에 각각 \uXXXX 형태로 표시됩니다.</translation>
    </message>
    <message>
        <source>Detected personal or secret details</source>
        <translation>감지된 개인 정보 또는 비밀 정보</translation>
    </message>
    <message>
        <source>Kept on this device: {note}</source>
        <translation>이 기기에 남김: {note}</translation>
    </message>
    <message>
        <source>Exact request</source>
        <translation>실제 요청</translation>
    </message>
    <message>
        <source>Question (you may edit it):</source>
        <translation>질문 (수정할 수 있습니다):</translation>
    </message>
    <message>
        <source>Detected personal or secret details (checked: hidden behind a placeholder)</source>
        <translation>감지된 개인 정보 또는 비밀 정보 (체크됨: 자리 표시자로 숨김)</translation>
    </message>
    <message>
        <source>Exact request (these bytes, and nothing else, are sent):</source>
        <translation>실제 요청 (이 바이트만 그대로 전송됩니다):</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>거부</translation>
    </message>
    <message>
        <source>Keep 1 invisible character (direction overrides, zero-width, tags); unticked it is removed</source>
        <translation>보이지 않는 문자 1개 유지 (방향 재정의, 폭 없는 문자, 태그). 체크를 해제하면 제거됩니다</translation>
    </message>
    <message>
        <source>Keep {count} invisible characters (direction overrides, zero-width, tags); unticked they are removed</source>
        <translation>보이지 않는 문자 {count}개 유지 (방향 재정의, 폭 없는 문자, 태그). 체크를 해제하면 제거됩니다</translation>
    </message>
    <message>
        <source>(hidden earlier in this conversation)</source>
        <translation>(이 대화에서 앞서 숨김)</translation>
    </message>
    <message>
        <source>Nothing detected. Check the request before you send it.</source>
        <translation>감지된 항목이 없습니다. 보내기 전에 요청을 확인하세요.</translation>
    </message>
    <message>
        <source>About {tokens_in:,} tokens in and up to {tokens_out:,} out ({size:,} bytes). The provider may charge for these tokens.</source>
        <translation>입력 약 {tokens_in:,}토큰, 출력 최대 {tokens_out:,}토큰 ({size:,}바이트). 제공자가 이 토큰에 요금을 부과할 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>제공자</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>바이트</translation>
    </message>
    <message>
        <source>Tokens in / out</source>
        <translation>입력 / 출력 토큰</translation>
    </message>
    <message>
        <source>Hidden details</source>
        <translation>숨긴 정보</translation>
    </message>
    <message>
        <source>What left this device</source>
        <translation>이 기기를 떠난 요청</translation>
    </message>
    <message>
        <source>Every request you approved for a cloud model, newest first. Only a fingerprint (SHA-256) and the size of each request are kept here, never its text.</source>
        <translation>클라우드 모델로 보내도록 승인한 모든 요청입니다(최신순). 각 요청의 지문(SHA-256)과 크기만 보관하며 내용은 보관하지 않습니다.</translation>
    </message>
    <message>
        <source>Nothing has left this device: no cloud request was ever sent.</source>
        <translation>이 기기를 떠난 것이 없습니다. 클라우드 요청을 보낸 적이 없습니다.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>&amp;Regenerate the reply</source>
        <translation>답변 다시 만들기(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Copy the last reply</source>
        <translation>마지막 답변 복사(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Edit my last message</source>
        <translation>마지막 메시지 편집(&amp;E)</translation>
    </message>
    <message>
        <source>Links are not opened from chats: {url}</source>
        <translation>대화 속 링크는 열지 않습니다: {url}</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>중지하는 중…</translation>
    </message>
    <message>
        <source>Reply copied.</source>
        <translation>답변을 복사했습니다.</translation>
    </message>
    <message>
        <source>{path} could not be opened ({error}).</source>
        <translation>{path}을(를) 열 수 없습니다 ({error}).</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>작성 중…</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>not found in the cited source</source>
        <translation>인용한 출처에서 찾을 수 없음</translation>
    </message>
    <message>
        <source>You</source>
        <translation>나</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>어시스턴트</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>Ask anything. Your words stay on this computer.</source>
        <translation>무엇이든 물어보세요. 입력한 내용은 이 컴퓨터를 떠나지 않습니다.</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>대화</translation>
    </message>
    <message>
        <source>The messages of this conversation; citations are links to the sources</source>
        <translation>이 대화의 메시지입니다. 인용 번호는 출처로 가는 링크입니다</translation>
    </message>
    <message>
        <source>Reply finished:</source>
        <translation>답변 완료:</translation>
    </message>
    <message>
        <source>Reply stopped:</source>
        <translation>답변 중단:</translation>
    </message>
    <message>
        <source>Thinking… ({words} words)</source>
        <translation>생각하는 중… ({words}단어)</translation>
    </message>
    <message>
        <source>Thought for {words} words</source>
        <translation>{words}단어 동안 생각함</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>일반 대화</translation>
    </message>
    <message>
        <source>Explain how a heat pump works, in three sentences.</source>
        <translation>히트 펌프가 어떻게 작동하는지 세 문장으로 설명해 주세요.</translation>
    </message>
    <message>
        <source>Give me five names for a bakery by the sea.</source>
        <translation>바닷가 빵집 이름을 다섯 개 지어 주세요.</translation>
    </message>
    <message>
        <source>Your documents</source>
        <translation>내 문서</translation>
    </message>
    <message>
        <source>What do my notes say about the project budget?</source>
        <translation>내 메모에는 프로젝트 예산에 대해 뭐라고 적혀 있나요?</translation>
    </message>
    <message>
        <source>Summarize the main points of the report I added.</source>
        <translation>추가한 보고서의 요점을 정리해 주세요.</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>글쓰기</translation>
    </message>
    <message>
        <source>Make this more polite: Send me the report by tomorrow.</source>
        <translation>Make this more polite: Send me the report by tomorrow.</translation>
    </message>
    <message>
        <source>Chat with the local model, ask about the documents in your Library (answers cite their sources), or get help with writing. Try one:</source>
        <translation>로컬 모델과 대화하거나, 라이브러리의 문서에 대해 묻거나(답변에 출처가 인용됩니다), 글쓰기 도움을 받으세요. 하나를 골라 보세요:</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>다시 생성</translation>
    </message>
    <message>
        <source>Edit my message</source>
        <translation>내 메시지 편집</translation>
    </message>
    <message>
        <source>{via}, sent with your approval</source>
        <translation>{via}, 승인을 받아 전송함</translation>
    </message>
    <message>
        <source>(writing…)</source>
        <translation>(작성 중…)</translation>
    </message>
    <message>
        <source>(stopped)</source>
        <translation>(중지됨)</translation>
    </message>
    <message>
        <source>Open the Library →</source>
        <translation>라이브러리 열기 →</translation>
    </message>
    <message>
        <source>, page {page}</source>
        <translation>, {page}쪽</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>코드 복사</translation>
    </message>
</context>
<context>
    <name>CloudSettingsDialog</name>
    <message>
        <source>Cloud provider</source>
        <translation>클라우드 제공자</translation>
    </message>
    <message>
        <source>Offer to ask a cloud model (every request still needs your approval)</source>
        <translation>클라우드 모델에 묻기 제안 (모든 요청은 여전히 승인이 필요합니다)</translation>
    </message>
    <message>
        <source>Offline only: never connect to anything outside this computer</source>
        <translation>오프라인 전용: 이 컴퓨터 밖으로는 절대 연결하지 않습니다</translation>
    </message>
    <message>
        <source>e.g. OpenAI, Mistral, my server</source>
        <translation>예: OpenAI, Mistral, 내 서버</translation>
    </message>
    <message>
        <source>e.g. gpt-4.1-mini</source>
        <translation>예: gpt-4.1-mini</translation>
    </message>
    <message>
        <source>Paste the API key; it is kept in your system keychain, never in a file</source>
        <translation>API 키를 붙여 넣으세요. 키는 파일이 아닌 시스템 키체인에 보관됩니다</translation>
    </message>
    <message>
        <source>Save key</source>
        <translation>키 저장</translation>
    </message>
    <message>
        <source>Forget key</source>
        <translation>키 삭제</translation>
    </message>
    <message>
        <source>The key belongs to the base URL's address (scheme, host and port). If you change the base URL to another address, the key is not reused there: save the key for the new address.</source>
        <translation>키는 기본 URL의 주소(스킴, 호스트, 포트)에 속합니다. 기본 URL을 다른 주소로 바꾸면 키가 그 주소에 재사용되지 않으니, 새 주소용 키를 저장하세요.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>기본 URL</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Most tokens in a reply</source>
        <translation>답변의 최대 토큰 수</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>Collections that never leave this device</source>
        <translation>이 기기를 절대 떠나지 않는 컬렉션</translation>
    </message>
    <message>
        <source>Enter the provider's https:// base URL to save or see its key.</source>
        <translation>키를 저장하거나 확인하려면 제공자의 https:// 기본 URL을 입력하세요.</translation>
    </message>
    <message>
        <source>No key saved for {account}.</source>
        <translation>{account}에 저장된 키가 없습니다.</translation>
    </message>
    <message>
        <source>A key for {account} is kept in memory for this session only (no secure keychain here).</source>
        <translation>{account}의 키는 이번 세션 동안만 메모리에 보관됩니다 (이 시스템에는 안전한 키체인이 없습니다).</translation>
    </message>
    <message>
        <source>A key for {account} is saved in your system keychain.</source>
        <translation>{account}의 키가 시스템 키체인에 저장되어 있습니다.</translation>
    </message>
    <message>
        <source>It is used only for {account}.</source>
        <translation>이 키는 {account}에만 사용됩니다.</translation>
    </message>
</context>
<context>
    <name>CloudWorker</name>
    <message>
        <source>The cloud request failed ({error}). Details are in the log file.</source>
        <translation>클라우드 요청에 실패했습니다 ({error}). 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message Private Assistant (Enter to send, Shift+Enter for a new line)</source>
        <translation>Private Assistant에게 메시지 보내기 (Enter: 보내기, Shift+Enter: 줄 바꿈)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line, Esc stops a reply</source>
        <translation>Enter로 보내고, Shift+Enter로 줄을 바꾸고, Esc로 답변을 멈춥니다</translation>
    </message>
</context>
<context>
    <name>ConversationFiles</name>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export conversation…</source>
        <translation>대화 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import conversations…</source>
        <translation>대화 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>Choose a conversation in the list to export.</source>
        <translation>내보낼 대화를 목록에서 고르세요.</translation>
    </message>
    <message>
        <source>Markdown, to read (*.md)</source>
        <translation>Markdown, 읽기용 (*.md)</translation>
    </message>
    <message>
        <source>JSON, to import again (*.json)</source>
        <translation>JSON, 다시 가져오기용 (*.json)</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>대화 내보내기</translation>
    </message>
    <message>
        <source>Exported “{title}” to {path}</source>
        <translation>“{title}” 대화를 {path}(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>대화 가져오기</translation>
    </message>
    <message>
        <source>Conversations: Private Assistant JSON, ChatGPT export (*.json *.zip);;All files (*)</source>
        <translation>대화: Private Assistant JSON, ChatGPT 내보내기 (*.json *.zip);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Imported 1 conversation from {file}.</source>
        <translation>{file}에서 대화 1개를 가져왔습니다.</translation>
    </message>
    <message>
        <source>Imported {count} conversations from {file}.</source>
        <translation>{file}에서 대화 {count}개를 가져왔습니다.</translation>
    </message>
    <message>
        <source>Skipped {skipped} with only tool, system or hidden messages.</source>
        <translation>도구, 시스템 또는 숨겨진 메시지만 있는 {skipped}개는 건너뛰었습니다.</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Search conversations</source>
        <translation>대화 검색</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>대화 목록</translation>
    </message>
    <message>
        <source>F2 renames the selected conversation, Delete removes it</source>
        <translation>F2로 선택한 대화의 이름을 바꾸고, Delete로 삭제합니다</translation>
    </message>
    <message>
        <source>New</source>
        <translation>새 대화</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>새 대화 시작 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>대화 이름 바꾸기</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>제목:</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>대화 삭제</translation>
    </message>
    <message>
        <source>Delete “{title}” and all its messages?</source>
        <translation>“{title}” 대화와 모든 메시지를 삭제할까요?</translation>
    </message>
</context>
<context>
    <name>DiffView</name>
    <message>
        <source>Accepted: click to reject this change</source>
        <translation>수락됨: 클릭하면 이 변경을 거부합니다</translation>
    </message>
    <message>
        <source>Rejected: click to accept this change</source>
        <translation>거부됨: 클릭하면 이 변경을 수락합니다</translation>
    </message>
</context>
<context>
    <name>Dispatcher</name>
    <message>
        <source>chosen by you</source>
        <translation>직접 선택함</translation>
    </message>
    <message>
        <source>this chat answers from {names}</source>
        <translation>이 대화는 {names}에서 답변합니다</translation>
    </message>
    <message>
        <source>Routing…</source>
        <translation>처리 방식 결정 중…</translation>
    </message>
    <message>
        <source>Searching your documents…</source>
        <translation>문서 검색 중…</translation>
    </message>
</context>
<context>
    <name>DownloadStatus</name>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Stop the download; nothing half-done is kept</source>
        <translation>다운로드를 중지합니다. 받다 만 파일은 남기지 않습니다</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>{name} 다운로드 중…</translation>
    </message>
    <message>
        <source>Downloading {name}: {progress}</source>
        <translation>{name} 다운로드 중: {progress}</translation>
    </message>
</context>
<context>
    <name>EmbedderBox</name>
    <message>
        <source>Search model</source>
        <translation>검색 모델</translation>
    </message>
    <message>
        <source>The model that reads your documents so that questions find them by meaning. Changing it re-reads every file in the background.</source>
        <translation>질문이 의미로 문서를 찾을 수 있도록 문서를 읽는 모델입니다. 바꾸면 백그라운드에서 모든 파일을 다시 읽습니다.</translation>
    </message>
    <message>
        <source>Search model status</source>
        <translation>검색 모델 상태</translation>
    </message>
    <message>
        <source>Search model suggestion</source>
        <translation>검색 모델 제안</translation>
    </message>
    <message>
        <source>Use the suggested search model</source>
        <translation>제안된 검색 모델 사용</translation>
    </message>
    <message>
        <source>Search model:</source>
        <translation>검색 모델:</translation>
    </message>
    <message>
        <source>Built-in (English): all-MiniLM-L6-v2</source>
        <translation>기본 제공(영어): all-MiniLM-L6-v2</translation>
    </message>
    <message>
        <source>Most of this library is not in English, which the built-in search model reads best. {name} reads Korean, Japanese, Chinese and many more languages.</source>
        <translation>이 라이브러리는 대부분 영어가 아닌데, 기본 검색 모델은 영어를 가장 잘 읽습니다. {name}은(는) 한국어, 일본어, 중국어를 비롯한 많은 언어를 읽습니다.</translation>
    </message>
    <message>
        <source>Use {name}</source>
        <translation>{name} 사용</translation>
    </message>
    <message>
        <source>Download {name}…</source>
        <translation>{name} 다운로드…</translation>
    </message>
    <message>
        <source>Re-reading the library with the new model: {count} files left. Searches use the previous model until then.</source>
        <translation>새 모델로 라이브러리를 다시 읽는 중: 파일 {count}개 남음. 끝날 때까지는 이전 모델로 검색합니다.</translation>
    </message>
</context>
<context>
    <name>EscalationController</name>
    <message>
        <source>This looks like a hard question. A cloud model may do better.</source>
        <translation>어려운 질문으로 보입니다. 클라우드 모델이 더 잘 답할 수 있습니다.</translation>
    </message>
    <message>
        <source>The local answer looks weak. A cloud model may do better.</source>
        <translation>로컬 답변이 부족해 보입니다. 클라우드 모델이 더 잘 답할 수 있습니다.</translation>
    </message>
    <message>
        <source>A cloud model could help here: set one up in Settings → Cloud provider.</source>
        <translation>클라우드 모델이 도움이 될 수 있습니다. 설정 → 클라우드 제공자에서 설정하세요.</translation>
    </message>
    <message>
        <source>Offline only is switched on, so nothing can be sent. Switch it off in Settings → Cloud provider.</source>
        <translation>오프라인 전용이 켜져 있어 아무것도 보낼 수 없습니다. 설정 → 클라우드 제공자에서 끄세요.</translation>
    </message>
    <message>
        <source>No cloud provider is set up. Add one in Settings → Cloud provider.</source>
        <translation>설정된 클라우드 제공자가 없습니다. 설정 → 클라우드 제공자에서 추가하세요.</translation>
    </message>
    <message>
        <source>There is no question in this conversation to send.</source>
        <translation>이 대화에는 보낼 질문이 없습니다.</translation>
    </message>
    <message>
        <source>Denied: nothing was sent.</source>
        <translation>거부됨: 아무것도 보내지 않았습니다.</translation>
    </message>
    <message>
        <source>Asking {provider}…</source>
        <translation>{provider}에 묻는 중…</translation>
    </message>
</context>
<context>
    <name>LanguageDialog</name>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>The new language is used the next time you start Private Assistant.</source>
        <translation>새 언어는 Private Assistant를 다음에 시작할 때 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Indexed</source>
        <translation>색인됨</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>라이브러리</translation>
    </message>
    <message>
        <source>Drop files or folders anywhere in the window to add them to the current collection</source>
        <translation>창의 아무 곳에나 파일이나 폴더를 끌어다 놓으면 현재 컬렉션에 추가됩니다</translation>
    </message>
    <message>
        <source>Collection: type a new name to start one</source>
        <translation>컬렉션: 새 이름을 입력하면 새 컬렉션을 만듭니다</translation>
    </message>
    <message>
        <source>Collection:</source>
        <translation>컬렉션:</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>폴더 추가…</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>파일 추가…</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>동기화</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>폴더 제거</translation>
    </message>
    <message>
        <source>Folders in this collection</source>
        <translation>이 컬렉션의 폴더</translation>
    </message>
    <message>
        <source>Files and their status</source>
        <translation>파일과 상태</translation>
    </message>
    <message>
        <source>File</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>청크</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 중지</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>폴더</translation>
    </message>
    <message>
        <source>Watching paused while the computer saves power; press Sync to update now.</source>
        <translation>컴퓨터가 절전 중이라 폴더 감시를 멈췄습니다. 지금 반영하려면 동기화를 누르세요.</translation>
    </message>
    <message>
        <source>Changes on disk picked up in {collections}.</source>
        <translation>디스크의 변경 사항을 {collections}에 반영했습니다.</translation>
    </message>
    <message>
        <source>Watching your folders: changes are picked up within seconds.</source>
        <translation>폴더를 감시하는 중입니다. 변경 사항은 몇 초 안에 반영됩니다.</translation>
    </message>
    <message>
        <source>{done} of {total}: {name}</source>
        <translation>{total}개 중 {done}개: {name}</translation>
    </message>
    <message>
        <source>Stopped: {indexed} indexed, {skipped} unchanged, {failed} failed, {removed} removed</source>
        <translation>중지됨: 색인 {indexed}개, 변경 없음 {skipped}개, 실패 {failed}개, 제거 {removed}개</translation>
    </message>
    <message>
        <source>Done: {indexed} indexed, {skipped} unchanged, {failed} failed, {removed} removed</source>
        <translation>완료: 색인 {indexed}개, 변경 없음 {skipped}개, 실패 {failed}개, 제거 {removed}개</translation>
    </message>
    <message>
        <source>Preparing to index…</source>
        <translation>색인 준비 중…</translation>
    </message>
    <message>
        <source>Add a folder to the library</source>
        <translation>라이브러리에 폴더 추가</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>파일 추가</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>문서</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <source>Stopping after the current file…</source>
        <translation>현재 파일을 마치고 중지하는 중…</translation>
    </message>
</context>
<context>
    <name>LibraryWorker</name>
    <message>
        <source>The library could not do that ({error}). Details are in the log file.</source>
        <translation>라이브러리에서 작업을 수행하지 못했습니다 ({error}). 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
</context>
<context>
    <name>LocalServerDialog</name>
    <message>
        <source>Local server</source>
        <translation>로컬 서버</translation>
    </message>
    <message>
        <source>Other programs on this computer (editors, scripts, note apps) can use your local models and documents through an OpenAI-compatible API. Every request needs the key below. Nothing is sent to the cloud through it.</source>
        <translation>이 컴퓨터의 다른 프로그램(편집기, 스크립트, 메모 앱)이 OpenAI 호환 API로 로컬 모델과 문서를 사용할 수 있습니다. 모든 요청에는 아래 키가 필요합니다. 이 서버를 통해서는 아무것도 클라우드로 보내지지 않습니다.</translation>
    </message>
    <message>
        <source>Serve the local models to other programs</source>
        <translation>다른 프로그램에 로컬 모델 제공</translation>
    </message>
    <message>
        <source>Address to listen on</source>
        <translation>수신할 주소</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>포트</translation>
    </message>
    <message>
        <source>Warning: this address lets other computers reach the server. Anyone with the key can use your models and read your documents. Use 127.0.0.1 to keep it on this computer.</source>
        <translation>경고: 이 주소에서는 다른 컴퓨터도 서버에 접속할 수 있습니다. 키를 가진 사람은 누구나 모델을 사용하고 문서를 읽을 수 있습니다. 이 컴퓨터 안에서만 쓰려면 127.0.0.1을 사용하세요.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>Copy key</source>
        <translation>키 복사</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>새 키</translation>
    </message>
    <message>
        <source>Make a new key; programs using the old one must be given the new one</source>
        <translation>새 키를 만듭니다. 이전 키를 쓰던 프로그램에는 새 키를 알려 주어야 합니다</translation>
    </message>
    <message>
        <source>Example in Python</source>
        <translation>Python 예제</translation>
    </message>
    <message>
        <source>Copy example</source>
        <translation>예제 복사</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>주소:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>포트:</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>키:</translation>
    </message>
    <message>
        <source>Example (Python, openai package):</source>
        <translation>예제 (Python, openai 패키지):</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>숨기기</translation>
    </message>
    <message>
        <source>Running at {url}</source>
        <translation>실행 중: {url}</translation>
    </message>
    <message>
        <source>Not running: {error}</source>
        <translation>실행되지 않음: {error}</translation>
    </message>
    <message>
        <source>Off.</source>
        <translation>꺼짐.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Something went wrong ({error}). Details are in {log}.</source>
        <translation>문제가 발생했습니다 ({error}). 자세한 내용은 {log}에 있습니다.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>답변 중지 (Esc)</translation>
    </message>
    <message>
        <source>Editing your last message: Enter resends it, Esc cancels.</source>
        <translation>마지막 메시지를 수정하고 있습니다. Enter를 누르면 다시 보내고, Esc를 누르면 취소합니다.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>The local server did not start: {error}</source>
        <translation>로컬 서버가 시작되지 않았습니다: {error}</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;Chat</source>
        <translation>대화(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>도구(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Writing help…</source>
        <translation>글쓰기 도움(&amp;W)…</translation>
    </message>
    <message>
        <source>Ask &amp;cloud model…</source>
        <translation>클라우드 모델에 묻기(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>설정(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>모델(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Cloud provider…</source>
        <translation>클라우드 제공자(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Language…</source>
        <translation>언어(&amp;L)…</translation>
    </message>
    <message>
        <source>Local &amp;server…</source>
        <translation>로컬 서버(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>What &amp;left this device…</source>
        <translation>이 기기를 떠난 요청(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>테마(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>시스템 설정 따르기(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>밝게(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>어둡게(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>글자 크게(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>글자 작게(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>기본 글자 크기(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Private Assistant</source>
        <translation>Private Assistant 정보(&amp;A)</translation>
    </message>
</context>
<context>
    <name>ModelOptionsDialog</name>
    <message>
        <source>General setting</source>
        <translation>일반 설정</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>온도</translation>
    </message>
    <message>
        <source>How adventurous each word is: 0 picks the most likely word every time.</source>
        <translation>단어를 얼마나 과감하게 고를지 정합니다. 0이면 매번 가장 가능성 높은 단어를 고릅니다.</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Only the most likely words whose chances add up to this are considered; 1 is off.</source>
        <translation>확률의 합이 이 값에 이를 때까지 가능성 높은 단어만 고려합니다. 1이면 꺼집니다.</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Only this many of the most likely words are considered; 0 is off.</source>
        <translation>가능성 높은 단어를 이 개수만큼만 고려합니다. 0이면 꺼집니다.</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Words less likely than this share of the likeliest word are left out; 0 is off.</source>
        <translation>가장 가능성 높은 단어 대비 이 비율보다 낮은 단어는 제외합니다. 0이면 꺼집니다.</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>반복 페널티</translation>
    </message>
    <message>
        <source>Makes the words of the last 64 tokens less likely; 1 is off.</source>
        <translation>최근 64토큰에 나온 단어가 덜 선택되게 합니다. 1이면 꺼집니다.</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>등장 페널티</translation>
    </message>
    <message>
        <source>Subtracted from every word already used recently; 0 is off.</source>
        <translation>최근에 이미 쓴 모든 단어에서 이 값을 뺍니다. 0이면 꺼집니다.</translation>
    </message>
    <message>
        <source>Settings for {name}</source>
        <translation>{name} 설정</translation>
    </message>
    <message>
        <source>Tokens the model keeps in view; it was trained for {trained}.</source>
        <translation>모델이 한 번에 참고하는 토큰 수입니다. 이 모델은 {trained}토큰으로 학습되었습니다.</translation>
    </message>
    <message>
        <source>Automatic (all layers that fit)</source>
        <translation>자동 (들어가는 모든 레이어)</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>CPU만 사용</translation>
    </message>
    <message>
        <source>Custom number of layers</source>
        <translation>레이어 수 직접 지정</translation>
    </message>
    <message>
        <source>transformers models use the GPU whole when there is one (CUDA or Apple MPS).</source>
        <translation>transformers 모델은 GPU(CUDA 또는 Apple MPS)가 있으면 전부 GPU에서 실행합니다.</translation>
    </message>
    <message>
        <source>Let the model think before it answers (shown folded above the answer)</source>
        <translation>답변하기 전에 모델이 생각하게 하기 (답변 위에 접힌 채로 표시)</translation>
    </message>
    <message>
        <source>This model's chat template has no switch for thinking.</source>
        <translation>이 모델의 채팅 템플릿에는 생각하기를 끄고 켜는 기능이 없습니다.</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>컨텍스트 길이</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 레이어</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>시스템 프롬프트</translation>
    </message>
    <message>
        <source>Sampling: how the model picks each word</source>
        <translation>샘플링: 모델이 단어를 고르는 방식</translation>
    </message>
    <message>
        <source>Where this value comes from</source>
        <translation>이 값의 출처</translation>
    </message>
    <message>
        <source>Reset to the model's defaults</source>
        <translation>모델 기본값으로 되돌리기</translation>
    </message>
    <message>
        <source>Forget the values set for this model: use its own, the catalog's or safe defaults.</source>
        <translation>이 모델에 지정한 값을 지우고 모델 자체 값, 카탈로그 값 또는 안전한 기본값을 사용합니다.</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>The model this conversation uses, from its next message on</source>
        <translation>이 대화가 다음 메시지부터 사용할 모델</translation>
    </message>
    <message>
        <source>Default model ({name})</source>
        <translation>기본 모델 ({name})</translation>
    </message>
</context>
<context>
    <name>ModelWorker</name>
    <message>
        <source>The model could not be loaded ({error}). Details are in the log file.</source>
        <translation>모델을 불러오지 못했습니다 ({error}). 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>The reply failed ({error}). Details are in the log file.</source>
        <translation>답변을 만들지 못했습니다 ({error}). 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>The model is not loaded, so nothing was changed.</source>
        <translation>모델을 불러오지 않아 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>The writing task failed ({error}). Details are in the log file.</source>
        <translation>글쓰기 작업에 실패했습니다 ({error}). 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <source>Downloading</source>
        <translation>다운로드 중</translation>
    </message>
    <message>
        <source>Checking and copying</source>
        <translation>확인 및 복사 중</translation>
    </message>
    <message>
        <source>{model} answers this conversation's next message.</source>
        <translation>이 대화의 다음 메시지는 {model}이(가) 답변합니다.</translation>
    </message>
    <message>
        <source>New conversations and those on “Default model” now use it.</source>
        <translation>이제 새 대화와 “기본 모델”을 쓰는 대화에서 이 모델을 사용합니다.</translation>
    </message>
    <message>
        <source>Your chats use the new model from the next message on.</source>
        <translation>다음 메시지부터 대화에서 새 모델을 사용합니다.</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>모델 제거</translation>
    </message>
    <message>
        <source>Delete {name} ({size:.2f} GB) from this computer?</source>
        <translation>이 컴퓨터에서 {name}({size:.2f} GB)을(를) 삭제할까요?</translation>
    </message>
    <message>
        <source>Checking {path}…</source>
        <translation>{path} 확인 중…</translation>
    </message>
    <message>
        <source>Another model is being added; wait until it is done.</source>
        <translation>다른 모델을 추가하고 있습니다. 끝날 때까지 기다리세요.</translation>
    </message>
    <message>
        <source>Connecting to huggingface.co for {name}…</source>
        <translation>{name}을(를) 받기 위해 huggingface.co에 연결하는 중…</translation>
    </message>
    <message>
        <source>Added {name}. Choose it for a conversation, or use it by default.</source>
        <translation>{name}을(를) 추가했습니다. 대화에서 선택하거나 기본 모델로 사용하세요.</translation>
    </message>
    <message>
        <source>{name} could not be removed ({error}). Close other programs using it and try again.</source>
        <translation>{name}을(를) 제거하지 못했습니다 ({error}). 이를 사용하는 다른 프로그램을 닫고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Removed {name}.</source>
        <translation>{name}을(를) 제거했습니다.</translation>
    </message>
</context>
<context>
    <name>ModelsView</name>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>런타임</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>아키텍처</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>매개변수</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>양자화</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>컨텍스트</translation>
    </message>
    <message>
        <source>License</source>
        <translation>라이선스</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>필요한 메모리</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>이 컴퓨터</translation>
    </message>
    <message>
        <source>Downloads come from huggingface.co. This is the only network use Private Assistant makes for models, and only when you click Download; chats and documents never leave this computer.</source>
        <translation>다운로드는 huggingface.co에서 받습니다. Private Assistant가 모델 때문에 네트워크를 쓰는 경우는 이것뿐이며, 다운로드를 누를 때만 연결합니다. 대화와 문서는 이 컴퓨터를 떠나지 않습니다.</translation>
    </message>
    <message>
        <source>Models — Private Assistant</source>
        <translation>모델 — Private Assistant</translation>
    </message>
    <message>
        <source>This computer: {machine}</source>
        <translation>이 컴퓨터: {machine}</translation>
    </message>
    <message>
        <source>Use by default</source>
        <translation>기본으로 사용</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>설정…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Import .gguf file…</source>
        <translation>.gguf 파일 가져오기…</translation>
    </message>
    <message>
        <source>Import model folder…</source>
        <translation>모델 폴더 가져오기…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>설치됨</translation>
    </message>
    <message>
        <source>Search model</source>
        <translation>검색 모델</translation>
    </message>
    <message>
        <source>memory unknown</source>
        <translation>메모리 알 수 없음</translation>
    </message>
    <message>
        <source>has a chat template</source>
        <translation>채팅 템플릿 있음</translation>
    </message>
    <message>
        <source>no chat template</source>
        <translation>채팅 템플릿 없음</translation>
    </message>
    <message>
        <source>reasoning model (thinking can be turned off)</source>
        <translation>추론 모델 (생각하기를 끌 수 있음)</translation>
    </message>
    <message>
        <source>reasoning model</source>
        <translation>추론 모델</translation>
    </message>
    <message>
        <source>Import a GGUF model</source>
        <translation>GGUF 모델 가져오기</translation>
    </message>
    <message>
        <source>GGUF models</source>
        <translation>GGUF 모델</translation>
    </message>
    <message>
        <source>Import a model folder (config.json + .safetensors)</source>
        <translation>모델 폴더 가져오기 (config.json + .safetensors)</translation>
    </message>
    <message>
        <source>Kinds of model</source>
        <translation>모델 종류</translation>
    </message>
    <message>
        <source>Chat models</source>
        <translation>대화 모델</translation>
    </message>
    <message>
        <source>Search reranker</source>
        <translation>검색 리랭커</translation>
    </message>
</context>
<context>
    <name>ModelsWorker</name>
    <message>
        <source>The import failed ({error}). Nothing was added; details are in the log file.</source>
        <translation>가져오기에 실패했습니다 ({error}). 아무것도 추가되지 않았으며 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
    <message>
        <source>The download failed ({error}). Nothing half-done was kept; details are in the log file.</source>
        <translation>다운로드에 실패했습니다 ({error}). 받다 만 파일은 남기지 않았으며 자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>Chats</source>
        <translation>대화</translation>
    </message>
    <message>
        <source>Show the chat (Ctrl+1)</source>
        <translation>대화 보기 (Ctrl+1)</translation>
    </message>
    <message>
        <source>Shows the conversation and the message box</source>
        <translation>대화와 메시지 입력란을 보여 줍니다</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>라이브러리</translation>
    </message>
    <message>
        <source>Show the library (Ctrl+2)</source>
        <translation>라이브러리 보기 (Ctrl+2)</translation>
    </message>
    <message>
        <source>Shows your document collections, their files and the indexing progress</source>
        <translation>문서 컬렉션과 그 파일, 색인 진행 상황을 보여 줍니다</translation>
    </message>
</context>
<context>
    <name>PassageViewer</name>
    <message>
        <source>, page {page}</source>
        <translation>, {page}쪽</translation>
    </message>
    <message>
        <source>, characters {start:,}–{end:,}</source>
        <translation>, {start:,}–{end:,}번째 글자</translation>
    </message>
    <message>
        <source>The passage as it was indexed:</source>
        <translation>색인된 구절:</translation>
    </message>
    <message>
        <source>The text of this passage was not stored with the answer.</source>
        <translation>이 구절의 텍스트는 답변과 함께 저장되지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <source>{name}, page {page}</source>
        <translation>{name}, {page}쪽</translation>
    </message>
</context>
<context>
    <name>RouteBar</name>
    <message>
        <source>Chat</source>
        <translation>일반 대화</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>문서</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>글쓰기</translation>
    </message>
    <message>
        <source>Complex</source>
        <translation>복잡한 질문</translation>
    </message>
    <message>
        <source>Answer as…</source>
        <translation>다른 방식으로 답변…</translation>
    </message>
    <message>
        <source>Ask cloud model…</source>
        <translation>클라우드 모델에 묻기…</translation>
    </message>
    <message>
        <source>Shows exactly what would be sent; nothing leaves until you click Send</source>
        <translation>보낼 내용을 그대로 보여 줍니다. 보내기를 누르기 전에는 아무것도 나가지 않습니다</translation>
    </message>
    <message>
        <source>Route: {route} (unsure, {confidence:.0%}) · {reasons}</source>
        <translation>처리 방식: {route} (불확실, {confidence:.0%}) · {reasons}</translation>
    </message>
    <message>
        <source>Route: {route} ({confidence:.0%}) · {reasons}</source>
        <translation>처리 방식: {route} ({confidence:.0%}) · {reasons}</translation>
    </message>
</context>
<context>
    <name>RoutePicker</name>
    <message>
        <source>Auto route</source>
        <translation>자동 선택</translation>
    </message>
    <message>
        <source>How the next message is handled: Auto lets the router decide</source>
        <translation>다음 메시지를 처리할 방식입니다. 자동을 고르면 라우터가 정합니다</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>처리 방식</translation>
    </message>
</context>
<context>
    <name>SearchModelsPanel</name>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>적합한 용도</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Search reranker</source>
        <translation>검색 리랭커</translation>
    </message>
    <message>
        <source>A reranker reads each documents question together with the best passages search found, and puts the most helpful first. It is optional, runs on this computer, and document search uses it from your next question. When several are installed, the first one in this list is used.</source>
        <translation>리랭커는 문서 질문마다 검색이 찾은 가장 좋은 구절들을 질문과 함께 읽고, 가장 도움이 되는 구절을 앞에 둡니다. 선택 사항이며 이 컴퓨터에서 실행되고, 문서 검색은 다음 질문부터 이를 사용합니다. 여러 개가 설치되어 있으면 이 목록에서 첫 번째 것을 사용합니다.</translation>
    </message>
    <message>
        <source>About search rerankers</source>
        <translation>검색 리랭커 정보</translation>
    </message>
    <message>
        <source>Search rerankers</source>
        <translation>검색 리랭커</translation>
    </message>
    <message>
        <source>Download the chosen reranker</source>
        <translation>선택한 리랭커 다운로드</translation>
    </message>
    <message>
        <source>Cancel the reranker download</source>
        <translation>리랭커 다운로드 취소</translation>
    </message>
    <message>
        <source>Remove the chosen reranker</source>
        <translation>선택한 리랭커 제거</translation>
    </message>
    <message>
        <source>Reranker download progress</source>
        <translation>리랭커 다운로드 진행률</translation>
    </message>
    <message>
        <source>Reranker status</source>
        <translation>리랭커 상태</translation>
    </message>
    <message>
        <source>Korean, English and about 100 other languages; slow without a GPU</source>
        <translation>한국어, 영어 및 약 100개의 다른 언어. GPU가 없으면 느림</translation>
    </message>
    <message>
        <source>English documents and questions; fast on any computer</source>
        <translation>영어 문서와 질문. 어느 컴퓨터에서나 빠름</translation>
    </message>
    <message>
        <source>Installed, used by search</source>
        <translation>설치됨, 검색에 사용 중</translation>
    </message>
    <message>
        <source>Installed, not used (another one comes first)</source>
        <translation>설치됨, 사용 안 함 (다른 리랭커가 우선)</translation>
    </message>
    <message>
        <source>Installed {name}. Document search uses it from your next question.</source>
        <translation>{name}을(를) 설치했습니다. 문서 검색은 다음 질문부터 이를 사용합니다.</translation>
    </message>
    <message>
        <source>Remove reranker</source>
        <translation>리랭커 제거</translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from this computer? Search then orders passages without it.</source>
        <translation>이 컴퓨터에서 {name}({size})을(를) 삭제할까요? 이후 검색은 리랭커 없이 구절을 정렬합니다.</translation>
    </message>
    <message>
        <source>Download size</source>
        <translation>다운로드 크기</translation>
    </message>
    <message>
        <source>Search model</source>
        <translation>검색 모델</translation>
    </message>
    <message>
        <source>A search model reads your documents so that questions find them by meaning. The built-in one reads English; a multilingual one reads Korean, Japanese, Chinese and many more languages. Choosing one for your library re-reads the library in the background; searches keep working meanwhile.</source>
        <translation>검색 모델은 질문이 의미로 문서를 찾을 수 있도록 문서를 읽습니다. 기본 제공 모델은 영어를 읽고, 다국어 모델은 한국어, 일본어, 중국어를 비롯한 많은 언어를 읽습니다. 라이브러리에 사용할 모델을 고르면 백그라운드에서 라이브러리를 다시 읽으며, 그동안에도 검색은 계속됩니다.</translation>
    </message>
    <message>
        <source>About search models</source>
        <translation>검색 모델 정보</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>검색 모델</translation>
    </message>
    <message>
        <source>Download the chosen search model</source>
        <translation>선택한 검색 모델 다운로드</translation>
    </message>
    <message>
        <source>Cancel the search model download</source>
        <translation>검색 모델 다운로드 취소</translation>
    </message>
    <message>
        <source>Remove the chosen search model</source>
        <translation>선택한 검색 모델 제거</translation>
    </message>
    <message>
        <source>Use the chosen search model for my library</source>
        <translation>선택한 검색 모델을 내 라이브러리에 사용</translation>
    </message>
    <message>
        <source>Search model download progress</source>
        <translation>검색 모델 다운로드 진행률</translation>
    </message>
    <message>
        <source>Search model status</source>
        <translation>검색 모델 상태</translation>
    </message>
    <message>
        <source>Korean, Japanese, Chinese and many more languages</source>
        <translation>한국어, 일본어, 중국어를 비롯한 많은 언어</translation>
    </message>
    <message>
        <source>English</source>
        <translation>영어</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>설치됨</translation>
    </message>
    <message>
        <source>Installed {name}. Choose “Use for my library” to search your documents with it.</source>
        <translation>{name}을(를) 설치했습니다. 이 모델로 문서를 검색하려면 “내 라이브러리에 사용”을 누르세요.</translation>
    </message>
    <message>
        <source>Your library uses {name} from now on. If it used another model, it re-reads your documents in the background and searches keep working meanwhile; the Library page shows how far it is.</source>
        <translation>이제부터 라이브러리는 {name}을(를) 사용합니다. 다른 모델을 쓰고 있었다면 백그라운드에서 문서를 다시 읽으며, 그동안에도 검색은 계속됩니다. 진행 상황은 라이브러리 페이지에 표시됩니다.</translation>
    </message>
    <message>
        <source>Remove search model</source>
        <translation>검색 모델 제거</translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from this computer? A library that uses it goes back to the built-in English model.</source>
        <translation>이 컴퓨터에서 {name}({size})을(를) 삭제할까요? 이 모델을 쓰는 라이브러리는 기본 제공 영어 모델로 돌아갑니다.</translation>
    </message>
    <message>
        <source>Korean, Japanese, Chinese and about 90 more languages</source>
        <translation>한국어, 일본어, 중국어 및 약 90개의 다른 언어</translation>
    </message>
    <message>
        <source>50 languages</source>
        <translation>50개 언어</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Use for my library</source>
        <translation>내 라이브러리에 사용</translation>
    </message>
    <message>
        <source>Partly downloaded: Download resumes it</source>
        <translation>일부만 다운로드됨: 다운로드를 누르면 이어서 받습니다</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>설치되지 않음</translation>
    </message>
    <message>
        <source>Downloading {progress}</source>
        <translation>다운로드 중 {progress}</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Send the message</source>
        <translation>메시지 보내기</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>메시지에서 줄 바꾸기</translation>
    </message>
    <message>
        <source>Stop the reply (or cancel editing the last message)</source>
        <translation>답변 멈추기 (또는 마지막 메시지 편집 취소)</translation>
    </message>
    <message>
        <source>Go to the message box</source>
        <translation>메시지 입력란으로 이동</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>새 대화</translation>
    </message>
    <message>
        <source>Show the chat</source>
        <translation>대화 보기</translation>
    </message>
    <message>
        <source>Show the library</source>
        <translation>라이브러리 보기</translation>
    </message>
    <message>
        <source>Rename the selected conversation</source>
        <translation>선택한 대화 이름 바꾸기</translation>
    </message>
    <message>
        <source>Delete the selected conversation</source>
        <translation>선택한 대화 삭제</translation>
    </message>
    <message>
        <source>In the conversation: move to a citation or link and open it</source>
        <translation>대화에서: 인용이나 링크로 이동해 열기</translation>
    </message>
    <message>
        <source>Regenerate the last reply</source>
        <translation>마지막 답변 다시 만들기</translation>
    </message>
    <message>
        <source>Copy the last reply</source>
        <translation>마지막 답변 복사</translation>
    </message>
    <message>
        <source>Edit my last message</source>
        <translation>마지막 메시지 편집</translation>
    </message>
    <message>
        <source>Writing help</source>
        <translation>글쓰기 도우미</translation>
    </message>
    <message>
        <source>In writing help: run the task</source>
        <translation>글쓰기 도우미에서: 작업 실행</translation>
    </message>
    <message>
        <source>Ask the cloud model (shows the exact request first)</source>
        <translation>클라우드 모델에 묻기 (실제 요청을 먼저 보여 줌)</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>글자 크게</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>글자 작게</translation>
    </message>
    <message>
        <source>Normal text size</source>
        <translation>기본 글자 크기</translation>
    </message>
    <message>
        <source>This list of shortcuts</source>
        <translation>이 단축키 목록</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>키</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>동작</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Model: not loaded</source>
        <translation>모델: 불러오지 않음</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>Model: {name} (loading)</source>
        <translation>모델: {name} (불러오는 중)</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>모델: {name}</translation>
    </message>
    <message>
        <source>Backend: {backend}, {layers} GPU layers</source>
        <translation>백엔드: {backend}, GPU 레이어 {layers}개</translation>
    </message>
    <message>
        <source>Backend: {backend}</source>
        <translation>백엔드: {backend}</translation>
    </message>
    <message>
        <source>{speed:.1f} tokens/s</source>
        <translation>초당 {speed:.1f}토큰</translation>
    </message>
</context>
<context>
    <name>SwitchOffer</name>
    <message>
        <source>Switch now</source>
        <translation>지금 전환</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>나중에</translation>
    </message>
    <message>
        <source>{name} is downloaded and ready. Use it for your chats from now on?</source>
        <translation>{name} 다운로드가 끝나 사용할 준비가 되었습니다. 지금부터 대화에 사용할까요?</translation>
    </message>
</context>
<context>
    <name>WelcomeController</name>
    <message>
        <source>Using the built-in small model. Settings → Models downloads a better one when you want.</source>
        <translation>내장된 작은 모델을 사용합니다. 원할 때 설정 → 모델에서 더 좋은 모델을 받을 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>The built-in model (SmolLM2 135M) works at once and offline, but its answers are short and often wrong. You can download a model any time from Settings → Models.</source>
        <translation>내장 모델(SmolLM2 135M)은 바로 오프라인으로 동작하지만 답변이 짧고 자주 틀립니다. 언제든지 설정 → 모델에서 모델을 받을 수 있습니다.</translation>
    </message>
    <message>
        <source>The download comes from huggingface.co, only when you click it, and is checked before use. Your chats and documents never leave this computer. You can chat while it downloads.</source>
        <translation>다운로드는 버튼을 누를 때만 huggingface.co에서 받으며, 사용하기 전에 검증합니다. 대화와 문서는 이 컴퓨터를 떠나지 않습니다. 다운로드하는 동안에도 대화할 수 있습니다.</translation>
    </message>
    <message>
        <source>None of the models in the catalog fits this computer's memory, so the built-in small model is the one to use here. You can import a smaller model file later from Settings → Models.</source>
        <translation>카탈로그의 어떤 모델도 이 컴퓨터의 메모리에 맞지 않으므로 내장된 작은 모델을 사용하세요. 나중에 설정 → 모델에서 더 작은 모델 파일을 가져올 수 있습니다.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <source>none that llama.cpp can use here</source>
        <translation>llama.cpp가 여기서 쓸 수 있는 것 없음</translation>
    </message>
    <message>
        <source>{gpu}, shares the main memory (about {memory} usable)</source>
        <translation>{gpu}, 주 메모리 공유 (약 {memory} 사용 가능)</translation>
    </message>
    <message>
        <source>Welcome to Private Assistant</source>
        <translation>Private Assistant에 오신 것을 환영합니다</translation>
    </message>
    <message>
        <source>Everything runs on this computer. Choose the model that writes your answers: a larger one answers far better, the built-in one starts at once.</source>
        <translation>모든 것이 이 컴퓨터에서 실행됩니다. 답변을 작성할 모델을 고르세요. 큰 모델은 훨씬 더 잘 답하고, 내장 모델은 바로 시작합니다.</translation>
    </message>
    <message>
        <source>Looking at this computer…</source>
        <translation>이 컴퓨터를 확인하는 중…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>Compare all models…</source>
        <translation>모든 모델 비교…</translation>
    </message>
    <message>
        <source>Use the built-in small model for now</source>
        <translation>우선 내장된 작은 모델 사용</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>이 컴퓨터</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <source>Graphics</source>
        <translation>그래픽</translation>
    </message>
    <message>
        <source>Processor</source>
        <translation>프로세서</translation>
    </message>
    <message>
        <source>Recommended for this computer</source>
        <translation>이 컴퓨터에 추천</translation>
    </message>
    <message>
        <source>Or start now</source>
        <translation>또는 바로 시작</translation>
    </message>
    <message>
        <source>CPU only (no GPU backend)</source>
        <translation>CPU만 사용 (GPU 백엔드 없음)</translation>
    </message>
    <message>
        <source>{count} CPU cores</source>
        <translation>CPU 코어 {count}개</translation>
    </message>
    <message>
        <source>No download fits this computer</source>
        <translation>이 컴퓨터에 맞는 다운로드가 없습니다</translation>
    </message>
    <message>
        <source>It works offline and starts at once.</source>
        <translation>오프라인으로 동작하며 바로 시작합니다.</translation>
    </message>
    <message>
        <source>{size} download · needs about {memory:.1f} GB of memory · runs on the GPU · licence: {license}</source>
        <translation>다운로드 {size} · 메모리 약 {memory:.1f} GB 필요 · GPU에서 실행 · 라이선스: {license}</translation>
    </message>
    <message>
        <source>{size} download · needs about {memory:.1f} GB of memory · runs on the processor · licence: {license}</source>
        <translation>다운로드 {size} · 메모리 약 {memory:.1f} GB 필요 · 프로세서에서 실행 · 라이선스: {license}</translation>
    </message>
    <message>
        <source>{models} and {count} more</source>
        <translation>{models} 외 {count}개</translation>
    </message>
    <message>
        <source>Also fits: {models}.</source>
        <translation>이 모델도 맞습니다: {models}.</translation>
    </message>
    <message>
        <source>Download {name}</source>
        <translation>{name} 다운로드</translation>
    </message>
</context>
<context>
    <name>WritingController</name>
    <message>
        <source>Writing help — Private Assistant</source>
        <translation>글쓰기 도움 — Private Assistant</translation>
    </message>
    <message>
        <source>The model is busy with a chat reply; try again when it has finished.</source>
        <translation>모델이 대화 답변을 작성하고 있습니다. 끝나면 다시 시도하세요.</translation>
    </message>
</context>
<context>
    <name>WritingPane</name>
    <message>
        <source>English</source>
        <translation>영어</translation>
    </message>
    <message>
        <source>French</source>
        <translation>프랑스어</translation>
    </message>
    <message>
        <source>German</source>
        <translation>독일어</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>스페인어</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>이탈리아어</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>포르투갈어</translation>
    </message>
    <message>
        <source>Dutch</source>
        <translation>네덜란드어</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>폴란드어</translation>
    </message>
    <message>
        <source>Swedish</source>
        <translation>스웨덴어</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>러시아어</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>중국어</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>일본어</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>한국어</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>아랍어</translation>
    </message>
    <message>
        <source>Proofread</source>
        <translation>교정</translation>
    </message>
    <message>
        <source>Rewrite: formal</source>
        <translation>다시 쓰기: 격식체</translation>
    </message>
    <message>
        <source>Rewrite: friendly</source>
        <translation>다시 쓰기: 친근하게</translation>
    </message>
    <message>
        <source>Rewrite: concise</source>
        <translation>다시 쓰기: 간결하게</translation>
    </message>
    <message>
        <source>Rewrite: polite</source>
        <translation>다시 쓰기: 더 공손하게</translation>
    </message>
    <message>
        <source>Shorten</source>
        <translation>줄이기</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>늘리기</translation>
    </message>
    <message>
        <source>Summarize</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>이어 쓰기</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>번역</translation>
    </message>
    <message>
        <source>Email from bullet points</source>
        <translation>요점으로 이메일 쓰기</translation>
    </message>
    <message>
        <source>into</source>
        <translation>대상 언어</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Paste or type your text here. Select part of it to work on that part only.</source>
        <translation>여기에 텍스트를 붙여 넣거나 입력하세요. 일부를 선택하면 그 부분만 작업합니다.</translation>
    </message>
    <message>
        <source>Your text</source>
        <translation>내 글</translation>
    </message>
    <message>
        <source>Result, with each change marked</source>
        <translation>결과 (바뀐 곳마다 표시)</translation>
    </message>
    <message>
        <source>Activate a change to accept or reject it</source>
        <translation>바뀐 곳을 선택해 받아들이거나 거절하세요</translation>
    </message>
    <message>
        <source>Accept all</source>
        <translation>모두 수락</translation>
    </message>
    <message>
        <source>Reject all</source>
        <translation>모두 거부</translation>
    </message>
    <message>
        <source>Copy result</source>
        <translation>결과 복사</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>다른 이름으로 저장…</translation>
    </message>
    <message>
        <source>Replace text</source>
        <translation>텍스트 바꾸기</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Result (click a change to accept or reject it)</source>
        <translation>결과 (변경 사항을 클릭하면 수락하거나 거부합니다)</translation>
    </message>
    <message>
        <source>Run the task on the selection, or on all the text (Ctrl+Enter)</source>
        <translation>선택한 부분이나 전체 텍스트에 작업 실행 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>There is no text to work on. Paste or type some text first.</source>
        <translation>작업할 텍스트가 없습니다. 먼저 텍스트를 붙여 넣거나 입력하세요.</translation>
    </message>
    <message>
        <source>Choose the language to translate into.</source>
        <translation>번역할 언어를 고르세요.</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>작업 중…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>중지하는 중…</translation>
    </message>
    <message>
        <source>The model gave no result. Your text is unchanged; try again or pick another task.</source>
        <translation>모델이 결과를 내지 않았습니다. 텍스트는 바뀌지 않았습니다. 다시 시도하거나 다른 작업을 고르세요.</translation>
    </message>
    <message>
        <source>1 change: click it to reject or accept it.</source>
        <translation>변경 1개: 클릭하면 거부하거나 수락합니다.</translation>
    </message>
    <message>
        <source>{count} changes: click one to reject or accept it.</source>
        <translation>변경 {count}개: 하나를 클릭하면 거부하거나 수락합니다.</translation>
    </message>
    <message>
        <source>No changes: the result is the same as your text.</source>
        <translation>변경 없음: 결과가 원래 텍스트와 같습니다.</translation>
    </message>
    <message>
        <source>Stopped early.</source>
        <translation>중간에 멈췄습니다.</translation>
    </message>
    <message>
        <source>Your text is unchanged.</source>
        <translation>텍스트는 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Result copied.</source>
        <translation>결과를 복사했습니다.</translation>
    </message>
    <message>
        <source>Save the result</source>
        <translation>결과 저장</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>텍스트</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>모든 파일</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>저장하지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>{path}에 저장했습니다.</translation>
    </message>
    <message>
        <source>Your text has changed since the task ran, so the result was not put in. Copy the result instead, or run the task again.</source>
        <translation>작업을 실행한 뒤 텍스트가 바뀌어 결과를 넣지 않았습니다. 결과를 복사하거나 작업을 다시 실행하세요.</translation>
    </message>
    <message>
        <source>Text replaced (Ctrl+Z in the text undoes it).</source>
        <translation>텍스트를 바꿨습니다 (텍스트에서 Ctrl+Z를 누르면 되돌립니다).</translation>
    </message>
</context>
</TS>
