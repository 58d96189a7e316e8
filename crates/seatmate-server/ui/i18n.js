// Seatmate UI strings, zh-CN and en. Every visible string goes through t().

const STORAGE_KEY = 'seatmate.lang';

export const LANGS = [
  { code: 'zh', label: '中文' },
  { code: 'en', label: 'English' },
];

const zh = {
  'app.name': 'Seatmate 坐席助手',
  'app.short': 'Seatmate',
  'app.tagline': '呼叫中心坐席辅助平台',

  'nav.conversations': '会话',
  'nav.taxonomy': '业务分类',
  'nav.knowledge': '知识库',
  'nav.admin': '管理',

  'top.logout': '退出登录',
  'top.language': '语言',

  'role.agent': '坐席',
  'role.team_lead': '班组长',
  'role.qa_inspector': '质检员',
  'role.trainer': '培训师',
  'role.admin': '管理员',

  'login.title': '登录',
  'login.subtitle': '请使用您的工作账号登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.badCredentials': '用户名或密码错误',
  'login.failed': '登录失败：{msg}',
  'login.required': '请输入用户名和密码',

  'common.loading': '加载中…',
  'common.error': '出错了',
  'common.search': '搜索',
  'common.reset': '重置',
  'common.clear': '清除',
  'common.prev': '上一页',
  'common.next': '下一页',
  'common.range': '第 {from}–{to} 条，共 {total} 条',
  'common.empty': '没有数据',
  'common.none': '—',
  'common.yes': '是',
  'common.no': '否',
  'common.back': '返回',
  'common.requestId': '请求编号：{id}',
  'common.all': '全部',
  'common.id': '编号',

  'err.forbidden': '无权访问',
  'err.forbiddenDetail': '您当前的角色无权查看此页面。',
  'err.notFound': '未找到',
  'err.pageNotFound': '页面不存在',
  'err.network': '无法连接服务器，请检查网络后重试。',
  'err.status': '服务器返回错误（{status}）',

  'stats.conversations': '会话 {n}',
  'stats.tickets': '工单 {n}',
  'stats.taxonomy_nodes': '业务分类 {n}',
  'stats.knowledge_items': '知识条目 {n}',
  'stats.users': '用户 {n}',

  'conv.title': '会话',
  'conv.detailTitle': '会话 {id}',
  'conv.searchPlaceholder': '搜索会话内容…',
  'conv.queuePlaceholder': '队列',
  'conv.agentPlaceholder': '坐席账号',
  'conv.time': '时间',
  'conv.channel': '渠道',
  'conv.queue': '队列',
  'conv.agent': '坐席',
  'conv.customer': '客户',
  'conv.turns': '轮次',
  'conv.preview': '内容预览',
  'conv.externalId': '外部编号',
  'conv.source': '来源',
  'conv.language': '语言',
  'conv.started': '开始时间',
  'conv.ended': '结束时间',
  'conv.duration': '时长',
  'conv.audio': '录音',
  'conv.attributes': '附加属性',
  'conv.noAttributes': '无附加属性',
  'conv.transcript': '对话记录',
  'conv.noTurns': '该会话没有对话内容',
  'conv.notFound': '会话不存在，或您无权查看该会话。',
  'conv.backToList': '返回会话列表',

  'channel.all': '全部渠道',
  'channel.chat': '在线',
  'channel.voice': '语音',
  'channel.email': '邮件',

  'speaker.agent': '坐席',
  'speaker.customer': '客户',
  'speaker.system': '系统',

  'ticket.title': '工单',
  'ticket.none': '该会话没有工单',
  'ticket.subject': '标题',
  'ticket.category': '业务分类',
  'ticket.team': '处理团队',
  'ticket.priority': '优先级',
  'ticket.status': '状态',
  'ticket.created': '创建时间',

  'priority.low': '低',
  'priority.normal': '普通',
  'priority.high': '高',
  'priority.urgent': '紧急',

  'status.draft': '草稿',
  'status.open': '待处理',
  'status.confirmed': '已确认',
  'status.closed': '已关闭',

  'tax.title': '业务分类',
  'tax.searchPlaceholder': '按名称或编码搜索分类…',
  'tax.tree': '分类树',
  'tax.results': '搜索结果（{n}）',
  'tax.noResults': '没有匹配的分类',
  'tax.noRoots': '尚未导入业务分类',
  'tax.code': '编码',
  'tax.nameZh': '中文名称',
  'tax.nameEn': '英文名称',
  'tax.team': '默认团队',
  'tax.depth': '层级',
  'tax.path': '路径',
  'tax.children': '子分类',
  'tax.childCount': '{n} 个子分类',
  'tax.leaf': '末级分类',
  'tax.expand': '展开',
  'tax.collapse': '收起',
  'tax.detail': '分类详情',
  'tax.selectHint': '点击左侧分类查看详情',

  'ask.title': '知识问答',
  'ask.placeholder': '输入问题，例如：携号转网怎么办理',
  'ask.submit': '提问',
  'ask.empty': '没有找到匹配的知识',
  'ask.why': '匹配依据：{field}',
  'ask.whyTerms': '匹配依据：{field}（{terms}）',
  'ask.field.question': '问法',
  'ask.field.answer': '答案',
  'ask.field.title': '标题',
  'ask.field.body': '正文',
  'ask.termSep': '、',
  'ask.whyMeaning': '语义相似度 {sim}',
  'ask.whyLiked': '坐席反馈有用',
  'ask.whyDisliked': '坐席反馈没帮助',
  'ask.scoreHint': '校准后的置信度：这条知识能回答问题的估计概率',
  'fb.used': '用上了',
  'fb.unhelpful': '没帮助',
  'fb.thanks': '已记录，后续排序会参考',
  'case.resolution': '处理结果',
  'case.untitled': '相似案例',
  'assist.title': '实时助手',
  'idx.summary': '索引：{items} 条知识，{cases} 个已解决案例，{mode}',
  'idx.semantic': '关键词 + 语义',
  'idx.lexical': '仅关键词（未加载语义模型）',
  'idx.running': '正在重建（{phase} {done}/{total}）',
  'idx.failed': '重建失败：{error}',
  'idx.rebuild': '重建索引',
  'assist.knowledge': '推荐知识',
  'assist.cases': '相似已解决案例',
  'assist.noKnowledge': '暂无匹配的知识',
  'assist.noCases': '暂无相似案例',
  'assist.listening': '根据客户最近的话：“{q}”',
  'assist.opening': '根据客户的来意：“{q}”（回放或点击某一轮可查看当时的推荐）',
  'assist.waiting': '等待客户发言…',
  'assist.replay': '▶ 回放',
  'assist.stop': '■ 停止',

  'kn.title': '知识库',
  'kn.searchPlaceholder': '搜索知识…',
  'kn.itemTitle': '标题',
  'kn.key': '标识',
  'kn.kind': '类型',
  'kn.category': '分类',
  'kn.language': '语言',
  'kn.tags': '标签',
  'kn.version': '版本',
  'kn.updated': '更新时间',
  'kn.updatedBy': '更新人',
  'kn.questions': '问法',
  'kn.mainQuestion': '标准问',
  'kn.answer': '答案',
  'kn.content': '正文',
  'kn.description': '说明',
  'kn.steps': '步骤',
  'kn.start': '起点',
  'kn.next': '下一步',
  'kn.notFound': '知识条目不存在',
  'kn.backToList': '返回知识库',
  'kn.edit': '编辑',
  'kn.editTitle': '编辑：{title}',
  'kn.question': '问法',
  'kn.addQuestion': '添加问法',
  'kn.removeQuestion': '删除',
  'kn.markdown': '正文（Markdown）',
  'kn.startStep': '起始步骤编号',
  'kn.stepsJson': '步骤（JSON 数组）',
  'kn.tagsHint': '多个标签用逗号分隔',
  'kn.save': '保存',
  'kn.saving': '保存中…',
  'kn.cancel': '取消',
  'kn.needTitle': '标题不能为空',
  'kn.needQuestion': '至少需要一个问法',
  'kn.stepsBadJson': '步骤不是有效的 JSON：{error}',
  'kn.stepsNotArray': '步骤必须是 JSON 数组',
  'kn.editSaved': '已保存，当前版本 v{version}',
  'kn.editUnchanged': '内容没有变化，版本仍为 v{version}',
  'kn.history': '历史版本',

  'kind.faq': '常见问题',
  'kind.article': '文章',
  'kind.flow': '引导流程',

  'stepkind.say': '话术',
  'stepkind.ask': '询问',
  'stepkind.action': '操作',
  'stepkind.end': '结束',

  'admin.title': '系统管理',
  'admin.users': '用户',
  'admin.teams': '团队',
  'admin.tokens': 'API 令牌',

  'user.username': '用户名',
  'user.displayName': '姓名',
  'user.role': '角色',
  'user.team': '团队',
  'user.status': '状态',
  'user.active': '启用',
  'user.inactive': '停用',

  'team.code': '编码',
  'team.nameZh': '中文名称',
  'team.nameEn': '英文名称',
  'team.dispatch': '派单团队',

  'token.name': '名称',
  'token.owner': '所属用户',
  'token.created': '创建时间',
  'token.lastUsed': '最近使用',
  'token.never': '从未使用',
  'token.revoke': '吊销',
  'token.revokeConfirm': '确定要吊销令牌“{name}”吗？使用该令牌的集成将立即失效。',
  'token.create': '创建令牌',
  'token.namePlaceholder': '令牌名称，例如 crm-sync',
  'token.nameRequired': '请输入令牌名称',
  'token.newTitle': '已创建令牌“{name}”',
  'token.newNotice': '请立即复制并妥善保存此令牌，它只会显示这一次。',
  'token.copy': '复制',
  'token.copied': '已复制',
  'token.dismiss': '我已保存',
  'token.none': '暂无 API 令牌',

  'common.save': '保存',

  'ac.title': '话后小结',
  'ac.intro': '会话结束后，系统会根据对话内容预填工单的业务分类、处理团队和优先级，您只需确认或更正。',
  'ac.open': '填写工单',
  'ac.opening': '正在生成建议…',
  'ac.suggestions': '建议分类',
  'ac.confidence': '置信度',
  'ac.current': '当前',
  'ac.chosen': '已选择',
  'ac.searchPlaceholder': '不在建议中？搜索其他分类…',
  'ac.autoAccepted': '已自动采纳',
  'ac.autoAcceptedHint': '最可能分类的置信度达到自动采纳阈值（{threshold}），无需确认即可采用；如有不对，仍可更正。',
  'ac.noneOfThese': '模型没有把握：以下建议可能都不对，请搜索并选择正确的分类。',
  'ac.backOff': '细分类把握不大，较可靠的上级分类（{pct}）：',
  'ac.useBackOff': '使用该分类',
  'ac.noModel': '尚未训练分类模型，请手动搜索选择分类。',
  'ac.why': '判断依据',
  'ac.weight': '权重 {w}',
  'ac.noTeam': '— 未指定 —',
  'ac.dispatchSuggested': '建议：{team}（{source}）',
  'ac.noDispatch': '没有派单建议',
  'ac.prioritySuggested': '系统建议：{priority}',
  'ac.summary': '小结',
  'ac.summaryPlaceholder': '简要记录客户诉求和处理结果…',
  'ac.confirm': '确认',
  'ac.confirmCorrection': '确认修改',
  'ac.confirming': '正在提交…',
  'ac.doneConfirmed': '工单已确认。',
  'ac.doneCorrected': '工单已确认，您的更正已记录，将用于改进模型。',
  'ac.modelVersion': '模型 v{v}',
  'ac.history': '工单记录',
  'ac.fieldChange': '{field}：',
  'ac.field.category': '业务分类',
  'ac.field.team': '处理团队',
  'ac.field.priority': '优先级',
  'ac.field.summary': '小结',
  'ac.field.status': '状态',

  'dispatch.rule': '派单规则',
  'dispatch.taxonomy': '分类默认团队',
  'dispatch.learned': '历史工单',

  'event.created': '创建',
  'event.confirmed': '确认',
  'event.corrected': '更正',
  'event.status': '状态变更',

  'model.title': '分类模型',
  'model.train': '立即训练',
  'model.training': '训练中…',
  'model.trained': '已训练并启用版本 v{v}（{n} 条样本）。',
  'model.activate': '启用',
  'model.activated': '已启用版本 v{v}。',
  'model.none': '尚未训练模型',
  'model.version': '版本',
  'model.created': '训练时间',
  'model.createdBy': '训练人',
  'model.examples': '样本数',
  'model.accuracy': '留出准确率',
  'model.share': '自动采纳比例',
  'model.threshold': '采纳阈值',
  'model.status': '状态',
  'model.active': '使用中',
  'model.inactive': '未启用',
  'model.auto': '自动重训',
  'model.autoAccept': '自动采纳',
  'model.autoAcceptHelp': '最可能分类的置信度达到阈值时，工单直接创建为待处理，无需坐席确认。阈值由留出数据上要达到的准确率决定。',
  'model.precision': '目标准确率',
  'model.precisionRange': '目标准确率须在 50 到 100 之间',
  'model.policy': '阈值 {threshold}，留出数据中 {share} 的工单会被自动采纳（模型 v{v}）',
  'model.policyUnreachable': '模型 v{v} 在留出数据上达不到该准确率：不会自动采纳',
};

const en = {
  'app.name': 'Seatmate',
  'app.short': 'Seatmate',
  'app.tagline': 'Agent assist for contact centres',

  'nav.conversations': 'Conversations',
  'nav.taxonomy': 'Taxonomy',
  'nav.knowledge': 'Knowledge',
  'nav.admin': 'Admin',

  'top.logout': 'Log out',
  'top.language': 'Language',

  'role.agent': 'Agent',
  'role.team_lead': 'Team lead',
  'role.qa_inspector': 'QA inspector',
  'role.trainer': 'Trainer',
  'role.admin': 'Administrator',

  'login.title': 'Sign in',
  'login.subtitle': 'Sign in with your work account',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.badCredentials': 'Incorrect username or password',
  'login.failed': 'Sign-in failed: {msg}',
  'login.required': 'Enter your username and password',

  'common.loading': 'Loading…',
  'common.error': 'Something went wrong',
  'common.search': 'Search',
  'common.reset': 'Reset',
  'common.clear': 'Clear',
  'common.prev': 'Previous',
  'common.next': 'Next',
  'common.range': '{from}–{to} of {total}',
  'common.empty': 'Nothing to show',
  'common.none': '—',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.back': 'Back',
  'common.requestId': 'Request ID: {id}',
  'common.all': 'All',
  'common.id': 'ID',

  'err.forbidden': 'No permission',
  'err.forbiddenDetail': 'Your role is not allowed to view this page.',
  'err.notFound': 'Not found',
  'err.pageNotFound': 'Page not found',
  'err.network': 'Cannot reach the server. Check your connection and try again.',
  'err.status': 'The server returned an error ({status})',

  'stats.conversations': '{n} conversations',
  'stats.tickets': '{n} tickets',
  'stats.taxonomy_nodes': '{n} categories',
  'stats.knowledge_items': '{n} knowledge items',
  'stats.users': '{n} users',

  'conv.title': 'Conversations',
  'conv.detailTitle': 'Conversation {id}',
  'conv.searchPlaceholder': 'Search conversation text…',
  'conv.queuePlaceholder': 'Queue',
  'conv.agentPlaceholder': 'Agent username',
  'conv.time': 'Time',
  'conv.channel': 'Channel',
  'conv.queue': 'Queue',
  'conv.agent': 'Agent',
  'conv.customer': 'Customer',
  'conv.turns': 'Turns',
  'conv.preview': 'Preview',
  'conv.externalId': 'External ID',
  'conv.source': 'Source',
  'conv.language': 'Language',
  'conv.started': 'Started',
  'conv.ended': 'Ended',
  'conv.duration': 'Duration',
  'conv.audio': 'Recording',
  'conv.attributes': 'Attributes',
  'conv.noAttributes': 'No attributes',
  'conv.transcript': 'Transcript',
  'conv.noTurns': 'This conversation has no turns',
  'conv.notFound': 'This conversation does not exist, or you are not allowed to see it.',
  'conv.backToList': 'Back to conversations',

  'channel.all': 'All channels',
  'channel.chat': 'Chat',
  'channel.voice': 'Voice',
  'channel.email': 'Email',

  'speaker.agent': 'Agent',
  'speaker.customer': 'Customer',
  'speaker.system': 'System',

  'ticket.title': 'Tickets',
  'ticket.none': 'No tickets for this conversation',
  'ticket.subject': 'Title',
  'ticket.category': 'Category',
  'ticket.team': 'Team',
  'ticket.priority': 'Priority',
  'ticket.status': 'Status',
  'ticket.created': 'Created',

  'priority.low': 'Low',
  'priority.normal': 'Normal',
  'priority.high': 'High',
  'priority.urgent': 'Urgent',

  'status.draft': 'Draft',
  'status.open': 'Open',
  'status.confirmed': 'Confirmed',
  'status.closed': 'Closed',

  'tax.title': 'Taxonomy',
  'tax.searchPlaceholder': 'Search categories by name or code…',
  'tax.tree': 'Category tree',
  'tax.results': 'Search results ({n})',
  'tax.noResults': 'No matching categories',
  'tax.noRoots': 'No taxonomy has been imported yet',
  'tax.code': 'Code',
  'tax.nameZh': 'Chinese name',
  'tax.nameEn': 'English name',
  'tax.team': 'Default team',
  'tax.depth': 'Level',
  'tax.path': 'Path',
  'tax.children': 'Children',
  'tax.childCount': '{n} children',
  'tax.leaf': 'Leaf category',
  'tax.expand': 'Expand',
  'tax.collapse': 'Collapse',
  'tax.detail': 'Category details',
  'tax.selectHint': 'Select a category to see its details',

  'ask.title': 'Ask the knowledge base',
  'ask.placeholder': 'Ask a question, e.g. how to port my number',
  'ask.submit': 'Ask',
  'ask.empty': 'No matching knowledge found',
  'ask.why': 'Matched in: {field}',
  'ask.whyTerms': 'Matched in: {field} ({terms})',
  'ask.field.question': 'question',
  'ask.field.answer': 'answer',
  'ask.field.title': 'title',
  'ask.field.body': 'body',
  'ask.termSep': ', ',
  'ask.whyMeaning': 'meaning similarity {sim}',
  'ask.whyLiked': 'agents found it useful',
  'ask.whyDisliked': 'agents found it unhelpful',
  'ask.scoreHint': 'Calibrated confidence: the estimated probability that this answers the question',
  'fb.used': 'Used',
  'fb.unhelpful': 'Not helpful',
  'fb.thanks': 'Noted: later rankings take it into account',
  'case.resolution': 'Resolution',
  'case.untitled': 'Similar case',
  'assist.title': 'Live assist',
  'idx.summary': 'Index: {items} knowledge items, {cases} solved cases, {mode}',
  'idx.semantic': 'words + meaning',
  'idx.lexical': 'words only (no sentence encoder loaded)',
  'idx.running': 'rebuilding ({phase} {done}/{total})',
  'idx.failed': 'rebuild failed: {error}',
  'idx.rebuild': 'Rebuild index',
  'assist.knowledge': 'Suggested knowledge',
  'assist.cases': 'Similar solved cases',
  'assist.noKnowledge': 'No matching knowledge yet',
  'assist.noCases': 'No similar cases yet',
  'assist.listening': 'From what the customer said last: “{q}”',
  'assist.opening': 'From what the customer came for: “{q}” (replay, or click a turn, to see the cards of that moment)',
  'assist.waiting': 'Waiting for the customer…',
  'assist.replay': '▶ Replay',
  'assist.stop': '■ Stop',

  'kn.title': 'Knowledge',
  'kn.searchPlaceholder': 'Search knowledge…',
  'kn.itemTitle': 'Title',
  'kn.key': 'Key',
  'kn.kind': 'Kind',
  'kn.category': 'Category',
  'kn.language': 'Language',
  'kn.tags': 'Tags',
  'kn.version': 'Version',
  'kn.updated': 'Updated',
  'kn.updatedBy': 'Updated by',
  'kn.questions': 'Phrasings',
  'kn.mainQuestion': 'Main question',
  'kn.answer': 'Answer',
  'kn.content': 'Content',
  'kn.description': 'Description',
  'kn.steps': 'Steps',
  'kn.start': 'Start',
  'kn.next': 'Next',
  'kn.notFound': 'This knowledge item does not exist',
  'kn.backToList': 'Back to knowledge',
  'kn.edit': 'Edit',
  'kn.editTitle': 'Edit: {title}',
  'kn.question': 'Phrasing',
  'kn.addQuestion': 'Add phrasing',
  'kn.removeQuestion': 'Remove',
  'kn.markdown': 'Content (Markdown)',
  'kn.startStep': 'Start step id',
  'kn.stepsJson': 'Steps (JSON array)',
  'kn.tagsHint': 'Separate tags with commas',
  'kn.save': 'Save',
  'kn.saving': 'Saving…',
  'kn.cancel': 'Cancel',
  'kn.needTitle': 'The title must not be empty',
  'kn.needQuestion': 'At least one phrasing is needed',
  'kn.stepsBadJson': 'The steps are not valid JSON: {error}',
  'kn.stepsNotArray': 'The steps must be a JSON array',
  'kn.editSaved': 'Saved: now version v{version}',
  'kn.editUnchanged': 'Nothing changed: still version v{version}',
  'kn.history': 'History',

  'kind.faq': 'FAQ',
  'kind.article': 'Articles',
  'kind.flow': 'Guided flows',

  'stepkind.say': 'Say',
  'stepkind.ask': 'Ask',
  'stepkind.action': 'Action',
  'stepkind.end': 'End',

  'admin.title': 'Administration',
  'admin.users': 'Users',
  'admin.teams': 'Teams',
  'admin.tokens': 'API tokens',

  'user.username': 'Username',
  'user.displayName': 'Display name',
  'user.role': 'Role',
  'user.team': 'Team',
  'user.status': 'Status',
  'user.active': 'Active',
  'user.inactive': 'Disabled',

  'team.code': 'Code',
  'team.nameZh': 'Chinese name',
  'team.nameEn': 'English name',
  'team.dispatch': 'Dispatch team',

  'token.name': 'Name',
  'token.owner': 'Owner',
  'token.created': 'Created',
  'token.lastUsed': 'Last used',
  'token.never': 'Never',
  'token.revoke': 'Revoke',
  'token.revokeConfirm': 'Revoke the token "{name}"? Integrations using it stop working at once.',
  'token.create': 'Create token',
  'token.namePlaceholder': 'Token name, e.g. crm-sync',
  'token.nameRequired': 'Enter a name for the token',
  'token.newTitle': 'Token "{name}" created',
  'token.newNotice': 'Copy this token now and keep it safe. It will not be shown again.',
  'token.copy': 'Copy',
  'token.copied': 'Copied',
  'token.dismiss': 'Done',
  'token.none': 'No API tokens',

  'common.save': 'Save',

  'ac.title': 'After-call work',
  'ac.intro': 'When a conversation ends, the ticket is pre-filled with the suggested category, team and priority: confirm it or correct it.',
  'ac.open': 'Fill in ticket',
  'ac.opening': 'Preparing suggestions…',
  'ac.suggestions': 'Suggested categories',
  'ac.confidence': 'Confidence',
  'ac.current': 'Current',
  'ac.chosen': 'Chosen',
  'ac.searchPlaceholder': 'Not listed? Search for another category…',
  'ac.autoAccepted': 'Auto-accepted',
  'ac.autoAcceptedHint': 'The top category reached the auto-accept threshold ({threshold}), so it is used without asking. You can still correct it.',
  'ac.noneOfThese': 'The model is not sure: none of these may be right. Search for the correct category.',
  'ac.backOff': 'The detailed category is uncertain; a more reliable parent category ({pct}):',
  'ac.useBackOff': 'Use this category',
  'ac.noModel': 'No classifier has been trained yet: search for the category.',
  'ac.why': 'Why',
  'ac.weight': 'Weight {w}',
  'ac.noTeam': '— None —',
  'ac.dispatchSuggested': 'Suggested: {team} ({source})',
  'ac.noDispatch': 'No dispatch suggestion',
  'ac.prioritySuggested': 'Suggested: {priority}',
  'ac.summary': 'Summary',
  'ac.summaryPlaceholder': 'What the customer wanted and what was done…',
  'ac.confirm': 'Confirm',
  'ac.confirmCorrection': 'Confirm correction',
  'ac.confirming': 'Saving…',
  'ac.doneConfirmed': 'Ticket confirmed.',
  'ac.doneCorrected': 'Ticket confirmed. Your correction was recorded and will help train the model.',
  'ac.modelVersion': 'Model v{v}',
  'ac.history': 'Ticket history',
  'ac.fieldChange': '{field}: ',
  'ac.field.category': 'Category',
  'ac.field.team': 'Team',
  'ac.field.priority': 'Priority',
  'ac.field.summary': 'Summary',
  'ac.field.status': 'Status',

  'dispatch.rule': 'dispatch rule',
  'dispatch.taxonomy': 'category default',
  'dispatch.learned': 'past tickets',

  'event.created': 'Created',
  'event.confirmed': 'Confirmed',
  'event.corrected': 'Corrected',
  'event.status': 'Status changed',

  'model.title': 'Classification models',
  'model.train': 'Train now',
  'model.training': 'Training…',
  'model.trained': 'Trained and activated version v{v} ({n} examples).',
  'model.activate': 'Activate',
  'model.activated': 'Version v{v} is active.',
  'model.none': 'No model has been trained yet',
  'model.version': 'Version',
  'model.created': 'Trained',
  'model.createdBy': 'Trained by',
  'model.examples': 'Examples',
  'model.accuracy': 'Held-out accuracy',
  'model.share': 'Auto-accept share',
  'model.threshold': 'Threshold',
  'model.status': 'Status',
  'model.active': 'Active',
  'model.inactive': 'Inactive',
  'model.auto': 'automatic retraining',
  'model.autoAccept': 'Auto-accept',
  'model.autoAcceptHelp': 'When the top category is at least this confident, the ticket is opened without asking the agent. The threshold is set by the precision wanted on held-out data.',
  'model.precision': 'Target precision',
  'model.precisionRange': 'The target precision must be between 50 and 100',
  'model.policy': 'Threshold {threshold}; {share} of held-out tickets would be auto-accepted (model v{v})',
  'model.policyUnreachable': 'Model v{v} does not reach this precision on held-out data: nothing is auto-accepted',
};

const DICTS = { zh, en };

function detect() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && DICTS[saved]) return saved;
  } catch {
    // storage may be unavailable (privacy mode); fall through
  }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = detect();

export function getLang() {
  return current;
}

export function setLang(lang) {
  if (!DICTS[lang]) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore
  }
  document.documentElement.lang = htmlLang();
}

/** The BCP 47 tag of the UI language, for <html lang> and date formatting. */
export function htmlLang() {
  return current === 'zh' ? 'zh-CN' : 'en';
}

/** Translate `key`, filling `{name}` placeholders from `params`. */
export function t(key, params) {
  let s = DICTS[current][key] ?? DICTS.en[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined && params[name] !== null ? String(params[name]) : m));
  }
  return s;
}

/** Translate `prefix.value` when such a key exists, else show the raw value. */
export function tEnum(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  const key = `${prefix}.${value}`;
  return DICTS[current][key] ?? DICTS.en[key] ?? String(value);
}

/** name_zh in Chinese, name_en in English, each falling back to the other when empty. */
export function localName(obj) {
  if (!obj) return '';
  const zhName = obj.name_zh || '';
  const enName = obj.name_en || '';
  if (current === 'zh') return zhName || enName || obj.code || '';
  return enName || zhName || obj.code || '';
}

/** Format epoch milliseconds as date and time, in the browser's locale when it matches the UI language. */
export function formatTime(ms) {
  if (ms === null || ms === undefined || ms === '') return '';
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) return String(ms);
  const browser = navigator.language || '';
  const sameFamily = browser.toLowerCase().startsWith(current);
  const locale = sameFamily ? browser : htmlLang();
  try {
    return d.toLocaleString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  } catch {
    return d.toLocaleString();
  }
}

export function formatNumber(n) {
  if (n === null || n === undefined) return '';
  try {
    return Number(n).toLocaleString(htmlLang());
  } catch {
    return String(n);
  }
}

document.documentElement.lang = htmlLang();
