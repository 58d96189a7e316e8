"""What customers say, per taxonomy leaf: the wording bank of the Seatmate demo.

One line per leaf: `CODE ~ phrase ~ phrase ~ ... ~ @phrase`. Phrases without `@` are used in the demo's
conversations (and so in the tickets the demo model trains on); the `@` phrase is written separately
and only ever goes to demo/heldout.csv, so the held-out test asks the model about wording it never saw.
Everything here was written by the Seatmate project (Apache-2.0, like the rest of it).
"""

LEAVES = """
BB.NEW.APPLY ~ 我想在家里装个宽带 ~ 新房子要拉一条宽带，怎么办理 ~ 帮我开通一下家里的光纤宽带 ~ 刚租的房子没网，想办宽带 ~ @请问申请安装光纤入户需要准备什么材料
BB.NEW.SURVEY ~ 我们小区能不能装你们的宽带 ~ 帮我查下这个地址有没有光纤覆盖 ~ 我这栋楼有你们的网络资源吗 ~ 想确认一下新地址能不能接入千兆 ~ @麻烦核实一下我住的那片有没有你们家的线路
BB.NEW.APPT ~ 装宽带的师傅什么时候上门 ~ 我想改一下装机的上门时间 ~ 能不能约周末来装宽带 ~ 装机预约的时间我不在家，能换一天吗 ~ @安装人员哪天过来能提前约个时段吗
BB.NEW.PROGRESS ~ 宽带报装一周了还没装好 ~ 帮我看看新装宽带进行到哪一步了 ~ 我的装机单现在什么状态 ~ 办了宽带一直没人来装，查下进度 ~ @上周登记的开户装网到现在是什么情况
BB.NEW.FEE ~ 装宽带要交安装费吗 ~ 初装费多少钱 ~ 新装宽带有没有调试费 ~ 办宽带光猫要另外收钱吗 ~ @拉网线入户要额外付费不
BB.FAULT.NOLINK.LOS ~ 光猫上LOS灯一直红色闪 ~ 宽带断了，光猫亮红灯 ~ 猫上面有个红灯在闪，网全断了 ~ 光信号灯不亮了，上不了网 ~ @路由器旁边那个白盒子红灯一闪一闪的完全没网
BB.FAULT.NOLINK.PPPOE ~ 电脑拨号提示错误691 ~ 宽带连接报错678连不上 ~ 路由器拨号一直失败 ~ 宽带账号密码输了还是认证不通过 ~ @PPPoE 拨不上号显示用户名或密码错误
BB.FAULT.NOLINK.ONT ~ 光猫通电了灯都不亮 ~ 光猫坏了，开不了机 ~ 光猫电源灯不亮，是不是烧了 ~ 猫一直重启，灯乱闪 ~ @家里的光调制解调器插上电没有任何反应
BB.FAULT.NOLINK.ARREARS ~ 宽带突然停了，是不是欠费了 ~ 网断了，提示我账户欠费 ~ 融合套餐没扣上款，宽带停了 ~ 打开网页跳出来缴费提醒，上不了网 ~ @没续费所以网被停了吗，交了钱多久能恢复
BB.FAULT.NOLINK.AREA ~ 整个小区都没网了 ~ 邻居家也断网了，是不是你们线路坏了 ~ 我们那栋楼全部上不了网 ~ 附近在修路，是不是光缆被挖断了 ~ @一整片区域的网络都瘫痪了什么时候修好
BB.FAULT.SLOW.ALL ~ 宽带一天到晚都很慢 ~ 网速一直很卡，什么时候都一样 ~ 不管白天晚上网速都只有几兆 ~ 宽带慢得像蜗牛，网页半天打不开 ~ @这网从早到晚就没快过，刷个网页都要等好久
BB.FAULT.SLOW.PEAK ~ 晚上八点以后网速特别慢 ~ 一到晚上看视频就卡 ~ 白天网速正常，晚上就不行 ~ 下班回家网就慢，半夜又好了 ~ @晚饭后那几个小时宽带速度掉得厉害
BB.FAULT.SLOW.SITE ~ 打游戏延迟特别高 ~ 别的都正常，就某个视频网站很卡 ~ 玩王者荣耀老是460 ~ 访问公司网站特别慢，其他网站没问题 ~ @只有打开某一个App的时候转圈加载，其他应用流畅
BB.FAULT.SLOW.SPEEDTEST ~ 我办的500兆测速只有几十兆 ~ 网线直连测速达不到签约速率 ~ 测了好几次速度都不达标 ~ 千兆宽带测出来才一百多 ~ @用测速软件跑了一下，跟套餐写的带宽差太多了
BB.FAULT.DROP.WIFI ~ WiFi老是掉线 ~ 无线网隔一会儿就断一下 ~ 手机连着WiFi总是自动断开 ~ 家里无线时有时无 ~ @无线网络连着连着就掉了得重新连
BB.FAULT.DROP.WIRED ~ 插网线的电脑也经常断网 ~ 有线连接隔几分钟就掉线 ~ 台式机用网线上网老是断 ~ 网线连着也会突然断开 ~ @接了网口的机器时不时就没网了过一会儿又好
BB.FAULT.WIFI.COVER ~ 卧室里WiFi信号很弱 ~ 房子大，离路由器远的房间没信号 ~ 隔了两堵墙WiFi就只剩一格 ~ 楼上收不到家里的无线信号 ~ @书房那边无线信号几乎搜不到
BB.FAULT.WIFI.PASSWORD ~ WiFi密码忘了怎么办 ~ 想改一下家里无线网的密码 ~ 怀疑有人蹭网，怎么换密码 ~ 无线密码在哪里能查到 ~ @记不起来家里无线网络的登录口令了
BB.FAULT.WIFI.MESH ~ 想加一个Mesh路由器 ~ 你们有没有组网的设备可以租 ~ 子母路由怎么配对 ~ 全屋WiFi组网怎么办理 ~ @别墅想多放几个无线节点做全屋覆盖
BB.FAULT.IPTV.NOSIGNAL ~ 电视打开显示无信号 ~ 机顶盒开着但电视黑屏 ~ IPTV没有画面，提示检查信号 ~ 电视看不了了，只显示无信号输入 ~ @网络电视屏幕上一片黑什么节目都出不来
BB.FAULT.IPTV.FREEZE ~ 看电视一直卡顿 ~ IPTV画面老是花屏马赛克 ~ 看直播频道总是缓冲 ~ 电视节目播着播着就卡住 ~ @看球赛的时候画面一格一格地跳
BB.FAULT.IPTV.AUTH ~ 机顶盒提示认证失败 ~ IPTV开机报错1302 ~ 电视登录不上，说账号认证不通过 ~ 机顶盒一直卡在认证页面 ~ @电视盒子启动后提示鉴权没有通过
BB.FAULT.REPAIR.STATUS ~ 我报的宽带故障处理到哪了 ~ 帮我查一下维修单的进度 ~ 昨天报修了，现在什么情况 ~ 维修师傅派单了没有 ~ @前两天登记的断网问题有人跟进了没
BB.FAULT.REPAIR.MISSED ~ 约好的维修师傅没来 ~ 说24小时上门，到现在没人来 ~ 我请假在家等，维修的人放我鸽子 ~ 报修超时了还没人上门 ~ @等了一整天修网的人影都没见着
BB.FAULT.REPAIR.REPEAT ~ 宽带修好没两天又坏了 ~ 这个月已经报修三次了 ~ 同样的问题反复出现 ~ 上次修过的故障又来了 ~ @上门修过一回结果过几天老毛病又犯了
BB.PKG.UPGRADE ~ 宽带想提速到千兆 ~ 300兆升500兆要加多少钱 ~ 帮我把宽带速率升级一下 ~ 网速不够用，想换个更快的宽带 ~ @现在的带宽太小了想换成更高速率的
BB.PKG.RENEW ~ 宽带合约快到期了，怎么续约 ~ 续约宽带有什么优惠 ~ 宽带到期后自动续吗 ~ 我想续签两年宽带 ~ @家里网络的协议期满了想接着用下去
BB.PKG.BUNDLE ~ 手机和宽带能不能一起办 ~ 融合套餐怎么收费 ~ 想把宽带并到手机套餐里 ~ 有没有宽带加手机加电视的套餐 ~ @把家里的网跟几张手机卡合在一起办会便宜吗
BB.PKG.PRICE ~ 宽带一年多少钱 ~ 单独办宽带的资费是多少 ~ 千兆宽带每月多少钱 ~ 你们宽带的价格表发我看看 ~ @想了解一下纯宽带不带手机卡的收费标准
BB.MOVE.APPLY ~ 我要搬家，宽带能移过去吗 ~ 申请宽带移机 ~ 宽带换个地址继续用 ~ 下个月搬新家，宽带要怎么转 ~ @换住处了原来的网络能跟着迁过去吗
BB.MOVE.NORES ~ 新地址说没有资源装不了 ~ 搬家后那边没有你们的网络怎么办 ~ 移机被告知新小区没覆盖 ~ 新家装不了，合约怎么处理 ~ @迁过去的地方没有线路，那我的网络合同怎么算
BB.MOVE.FEE ~ 宽带移机要收费吗 ~ 移机费多少钱 ~ 搬家移宽带需要交钱吗 ~ 第二次移机还免费吗 ~ @把网络迁到新住址要付多少手续费
BB.CANCEL.APPLY ~ 我要拆宽带 ~ 宽带不用了，帮我销掉 ~ 怎么办理宽带拆机 ~ 宽带到期不续了，申请注销 ~ @家里的网不想要了怎么停掉这个业务
BB.CANCEL.PENALTY ~ 提前拆宽带要交违约金吗 ~ 合约没到期退宽带赔多少钱 ~ 宽带违约金怎么算 ~ 拆机说要交几百块违约金 ~ @协议期内解约的话要赔偿多少
BB.CANCEL.DEVICE ~ 拆机后光猫要还吗 ~ 宽带设备去哪里退 ~ 机顶盒退还给谁 ~ 光猫不还会扣钱吗 ~ @销了网以后那些盒子和设备怎么交回去
BB.DEVICE.ONT ~ 想换个千兆光猫 ~ 光猫太旧了能免费换吗 ~ 光猫发热很厉害 ~ 光猫能不能改桥接 ~ @家里那台光纤猫用了好多年想升级一台新的
BB.DEVICE.ROUTER ~ 你们送的路由器不好用 ~ 路由器怎么重置 ~ 路由器能不能换个WiFi6的 ~ 路由器设置页面进不去 ~ @无线路由的管理后台地址是多少怎么登进去
BB.DEVICE.STB ~ 机顶盒遥控器坏了 ~ 机顶盒想换个4K的 ~ 再装一个机顶盒怎么办 ~ 机顶盒开机很慢 ~ @电视盒子的遥控按了没反应能换一个吗
BB.DEVICE.DEPOSIT ~ 光猫押金什么时候退 ~ 设备押金交了多少 ~ 拆机后押金怎么退 ~ 机顶盒押金能退吗 ~ @当初装网交的那笔设备保证金怎么拿回来
MOB.PLAN.QUERY ~ 我现在用的是什么套餐 ~ 帮我查一下套餐内容 ~ 我的套餐包含多少流量和分钟 ~ 这个月套餐还剩多少 ~ @我这张卡办的是哪个资费档次
MOB.PLAN.CHANGE.UP ~ 想换个贵一点流量多的套餐 ~ 套餐升级到129的 ~ 流量不够用，想升档 ~ 帮我改成高一档的套餐 ~ @现在的资费档位太低了想往上调一档
MOB.PLAN.CHANGE.DOWN ~ 套餐太贵了想降一档 ~ 帮我换成便宜点的套餐 ~ 用不了那么多流量，想改低档的 ~ 能改回39的套餐吗 ~ @每月月租太高了想换个最低消费的
MOB.PLAN.CHANGE.EFFECT ~ 改了套餐什么时候生效 ~ 换套餐是下个月生效吗 ~ 能不能立即生效 ~ 新套餐从几号开始算 ~ @变更资费后哪天起按新的标准收费
MOB.PLAN.CHANGE.CONTRACT ~ 合约期内能不能换套餐 ~ 还在合约期想降档被拒了 ~ 合约没到期改套餐有什么限制 ~ 签了两年合约现在想换 ~ @协议期还没结束可以调整资费方案吗
MOB.PLAN.RECOMMEND ~ 有什么划算的套餐推荐一下 ~ 我流量用得多，哪个套餐适合 ~ 帮我看看哪个套餐最省钱 ~ 给老人用的话办哪个套餐好 ~ @根据我平时的用量帮我挑一个最合适的方案
MOB.PLAN.5G ~ 5G套餐有哪些 ~ 想办个5G套餐 ~ 5G套餐最便宜多少钱 ~ 4G套餐怎么转5G ~ @第五代网络的资费方案有几种档位
MOB.PLAN.FAMILY.ADD ~ 想给家里人加一张副卡 ~ 办个亲情副卡 ~ 副卡怎么办理 ~ 能不能再加两个家庭成员 ~ @帮我孩子开一张挂在我名下共享的号
MOB.PLAN.FAMILY.REMOVE ~ 想取消一张副卡 ~ 把副卡从家庭套餐里删掉 ~ 副卡不用了怎么解除 ~ 家庭共享里去掉一个号码 ~ @我不想再让那个号跟我共用套餐了
MOB.PLAN.FAMILY.SHARE ~ 副卡的流量怎么共享不了 ~ 家庭共享的额度怎么分 ~ 主卡流量能给副卡用吗 ~ 共享流量被副卡用完了 ~ @家里几个号一起用的那份额度怎么分配的
MOB.DATA.USAGE ~ 查一下我这个月用了多少流量 ~ 流量还剩多少 ~ 我的流量怎么用得这么快 ~ 帮我看看流量使用情况 ~ @本月的上网用量到现在一共消耗了多少
MOB.DATA.ADDON.DAY ~ 有没有流量日包 ~ 想买一天的流量 ~ 订个当天有效的流量包 ~ 日租流量怎么开 ~ @今天出门临时需要一点上网额度只用一天
MOB.DATA.ADDON.MONTH ~ 流量用完了，买个月包 ~ 有没有流量加油包 ~ 订一个10G的流量包 ~ 这个月流量超了，有什么包能买 ~ @本月剩下的日子上网额度不够了想补充一些
MOB.DATA.ADDON.DIR ~ 有没有刷抖音的定向流量 ~ 看视频的专属流量包怎么办 ~ 定向流量包括哪些App ~ 买了定向流量为什么还扣通用流量 ~ @专门给某个应用用的免流量包怎么开通
MOB.DATA.OVERAGE ~ 流量超出套餐扣了好多钱 ~ 超流量费怎么这么贵 ~ 我没注意流量超了，能不能减免 ~ 套餐外流量是怎么计费的 ~ @上网超出包月部分收的钱太离谱了
MOB.DATA.THROTTLE ~ 不限量套餐被限速了 ~ 手机网速突然变得很慢，流量还有 ~ 用到一定量就降速了 ~ 网速只有1兆，是不是被限速了 ~ @明明说无限上网怎么用到后面速度就被压下来
MOB.DATA.ROLLOVER ~ 上个月没用完的流量能结转吗 ~ 剩余流量会不会清零 ~ 结转的流量怎么没了 ~ 流量结转到下个月吗 ~ @这个月剩下的上网额度能带到下个月用吗
MOB.VOICE.MINUTES ~ 我的通话分钟数还剩多少 ~ 套餐里的通话时长用完了 ~ 打电话超出分钟数怎么收费 ~ 想加一个通话包 ~ @这个月打电话的时长还够不够用
MOB.VOICE.SMS ~ 短信发不出去 ~ 收不到短信 ~ 短信包怎么订 ~ 发短信显示失败 ~ @别人给我发的信息我这边一直没收到
MOB.VOICE.FORWARD ~ 怎么设置呼叫转移 ~ 来电转移到另一个号码 ~ 取消呼叫转移 ~ 电话打不进来，好像被转移了 ~ @想让打到这个号的电话都转到我另一部手机上
MOB.VOICE.WAIT ~ 呼叫等待怎么开 ~ 打电话时别人打进来听不到提示 ~ 关闭呼叫等待 ~ 通话中有来电没有提示音 ~ @正在通话的时候另一个来电我完全不知道
MOB.VOICE.VOLTE ~ VoLTE高清通话怎么开 ~ 打电话的时候上不了网 ~ 高清语音开通不了 ~ 手机上没有HD标志 ~ @通话过程中数据网络就断了是不是没开高清通话
MOB.SIGNAL.NONE.HOME ~ 在家里手机没信号 ~ 家里打电话要跑到阳台 ~ 我家室内一点信号都没有 ~ 回到家手机就显示无服务 ~ @住的屋子里面手机一格都没有
MOB.SIGNAL.NONE.OFFICE ~ 公司里手机没信号 ~ 办公室在地下室，手机打不了电话 ~ 上班的写字楼里信号全无 ~ 单位里同事都是你们的卡都没信号 ~ @我们办公的那层楼里手机完全搜不到网
MOB.SIGNAL.NONE.RURAL ~ 回老家村里没信号 ~ 郊区那边手机打不通 ~ 农村老家一格信号都没有 ~ 山里的村子没有你们的基站 ~ @回乡下以后手机基本处在无服务状态
MOB.SIGNAL.WEAK ~ 手机信号很差 ~ 信号只有一两格 ~ 打电话断断续续听不清 ~ 信号时好时坏 ~ @手机接收的信号强度一直很低
MOB.SIGNAL.5G ~ 办了5G套餐手机只显示4G ~ 5G信号用不了 ~ 5G手机搜不到5G网络 ~ 明明在5G覆盖区还是4G ~ @手机右上角一直是4G从来没出现过5G
MOB.SIGNAL.CALLDROP ~ 打电话经常自己断掉 ~ 通话中老是掉线 ~ 电话说着说着就挂了 ~ 通话经常中断 ~ @跟别人聊着天电话莫名其妙就没声然后断开
MOB.SIGNAL.DATA.APN ~ 能打电话但是上不了网 ~ 换了手机后流量用不了 ~ APN怎么设置 ~ 移动数据开了也上不了网 ~ @接入点名称要填什么才能用数据网络
MOB.SIGNAL.DATA.SUSPEND ~ 流量功能被关了 ~ 手机上网功能停了 ~ 数据业务被暂停，能帮我打开吗 ~ 提示我的号码不能使用流量 ~ @我的号码上网权限被关掉了怎么恢复
MOB.DEVICE.CONTRACT ~ 合约机怎么办理 ~ 买手机送话费的活动还有吗 ~ 合约机的合约期是多久 ~ 存话费送手机怎么参加 ~ @签协议分期购机的活动还在做吗
MOB.DEVICE.REPAIR ~ 合约机坏了去哪修 ~ 在你们那买的手机屏幕出问题 ~ 手机保修怎么处理 ~ 新买的手机充不进电 ~ @从营业厅买的手机出毛病了找谁售后
MOB.DEVICE.ESIM.WATCH ~ 手表怎么开通eSIM ~ 智能手表想独立打电话 ~ 一号双终端怎么办 ~ 手表和手机共用一个号码 ~ @买的儿童电话手表能绑我的号码吗
MOB.DEVICE.ESIM.PHONE ~ 手机支持eSIM，怎么开通 ~ 新手机没有卡槽只能用eSIM ~ 手机eSIM怎么办理 ~ iPhone怎么用eSIM ~ @没有实体卡的手机要怎么用你们的号
MOB.PROMO.PREPAY ~ 存话费送话费的活动怎么参加 ~ 充一百送多少 ~ 预存话费有什么优惠 ~ 存费送费的钱什么时候到 ~ @先充一笔钱再返话费那个活动还有吗
MOB.PROMO.POINTS ~ 我的积分能兑换什么 ~ 积分怎么查 ~ 积分快过期了 ~ 用积分换流量 ~ @攒下来的那些分能换点什么东西
MOB.PROMO.GIFT ~ 说好送的流量没到账 ~ 赠送的会员怎么领 ~ 活动送的话费在哪看 ~ 办业务送的礼品没收到 ~ @当时说办理就送的权益一直没拿到
BILL.QUERY.MONTHLY ~ 查一下这个月的账单 ~ 上个月话费怎么这么多 ~ 月账单怎么看 ~ 账单金额比平时高 ~ @这期要交的费用总共是多少钱
BILL.QUERY.DETAIL ~ 想打一份通话详单 ~ 查一下话费明细 ~ 详单怎么查 ~ 把每一笔扣费列出来给我看看 ~ @要一份逐条列出的使用记录清单
BILL.QUERY.BALANCE ~ 查一下话费余额 ~ 我还剩多少钱 ~ 账户余额多少 ~ 话费还够不够 ~ @我这个号里面还有几块钱能用
BILL.QUERY.ARREARS ~ 我欠费多少 ~ 查一下有没有欠费 ~ 提示欠费了，欠了多少 ~ 欠的话费怎么算的 ~ @账上是负数了吗要补交多少
BILL.DISPUTE.DATA ~ 流量费扣得不对 ~ 我没怎么上网怎么扣了这么多流量费 ~ 流量计费有问题 ~ 晚上没用手机也跑了流量 ~ @睡觉的时候手机根本没开数据怎么还算了上网费
BILL.DISPUTE.VAS.SP ~ 账单上有个不认识的扣费 ~ 被扣了什么增值业务费 ~ 有个第三方代收费我没订过 ~ 每月都扣我十块钱不知道是什么 ~ @话费单里有一项什么服务费我从来没开通过
BILL.DISPUTE.VAS.MEMBER ~ 视频会员自动续费扣钱了 ~ 会员到期自动扣费我不知道 ~ 音乐会员每个月自动扣 ~ 会员续费没通知我 ~ @那个看剧的包月到期以后又悄悄扣了钱
BILL.DISPUTE.CALL ~ 通话费扣多了 ~ 我没打长途怎么有长途费 ~ 打电话的钱算得不对 ~ 通话费比平时多了一倍 ~ @语音费用那一栏金额明显不对劲
BILL.DISPUTE.ROAM ~ 漫游费扣得不对 ~ 出国回来漫游费有问题 ~ 我开了漫游包怎么还扣按天的钱 ~ 漫游费我不认 ~ @境外那几天的费用跟我买的包对不上
BILL.DISPUTE.DOUBLE ~ 同一笔钱扣了两次 ~ 重复扣费了 ~ 月租扣了两遍 ~ 交了一次钱显示扣了两次 ~ @同样的费用出现了两条一模一样的记录
BILL.DISPUTE.PLAN ~ 套餐费跟办的时候说的不一样 ~ 月租多扣了 ~ 说好的优惠价怎么按原价扣 ~ 套餐费比协议贵 ~ @每月收的基本费和当初承诺的价钱对不上
BILL.PAY.CHANNEL ~ 怎么交话费 ~ 可以用微信缴费吗 ~ 支付宝能交宽带费吗 ~ 去哪里交钱 ~ @有哪些途径可以把钱充到我的账户里
BILL.PAY.NOTARRIVED ~ 充了话费没到账 ~ 缴费成功了余额没变 ~ 微信充值扣了钱话费没到 ~ 交了钱还是提示欠费 ~ @付款已经显示成功可是账户里看不到这笔钱
BILL.PAY.AUTOPAY.OPEN ~ 想开通自动扣款 ~ 银行卡代扣怎么办 ~ 绑定银行卡自动交话费 ~ 每月自动缴费怎么设置 ~ @能不能每个月从我的储蓄卡里直接划走话费
BILL.PAY.AUTOPAY.FAIL ~ 自动扣款没扣上 ~ 银行代扣失败了 ~ 设了自动缴费还是欠费 ~ 扣款失败是什么原因 ~ @绑的卡这个月没划走钱导致欠费了
BILL.PAY.WRONGNUM ~ 话费充错号码了 ~ 给别人的号充了钱能退吗 ~ 号码输错一位充错了 ~ 充值充到陌生人手机上了 ~ @缴费时把手机号打错了钱进了别人账户
BILL.REFUND.APPLY ~ 我要申请退费 ~ 多扣的钱退给我 ~ 怎么申请退款 ~ 不合理的扣费要退回来 ~ @错收我的那部分费用请返还给我
BILL.REFUND.PROGRESS ~ 退款什么时候到账 ~ 说好退的钱还没退 ~ 退费进度查一下 ~ 退款申请审核了吗 ~ @之前答应返还的那笔钱现在到哪一步了
BILL.REFUND.BALANCE ~ 余额能退吗 ~ 账户里剩的钱退出来 ~ 不用这个号了余额怎么退 ~ 预存的话费能提现吗 ~ @卡里剩下的几百块能不能转回我的银行卡
BILL.INVOICE.EINVOICE ~ 怎么开电子发票 ~ 话费发票在哪里下载 ~ 要开个发票报销 ~ 电子发票发到邮箱 ~ @报销需要话费的电子凭证怎么弄
BILL.INVOICE.VAT ~ 要开增值税专用发票 ~ 公司要专票 ~ 专票怎么申请 ~ 增值税发票要提供什么资料 ~ @企业抵扣需要那种带税号的专用票据
BILL.INVOICE.TITLE ~ 发票抬头写错了 ~ 发票抬头想改成公司名 ~ 怎么修改发票抬头 ~ 抬头改成个人 ~ @开票的单位名称要换成另一家公司
BILL.INVOICE.REISSUE ~ 发票开错了要重开 ~ 发票丢了能补开吗 ~ 想作废重新开票 ~ 重开一张发票 ~ @上次的票金额不对麻烦作废再出一张
BILL.SUSPEND.ARREARS ~ 手机欠费停机了 ~ 突然停机了打不出去 ~ 号码被停了，说欠费 ~ 欠了几块钱就停机 ~ @电话打不出去提示我的号因为没交钱被停了
BILL.SUSPEND.RESTORE ~ 交完费什么时候开机 ~ 缴费后还是停机状态 ~ 充了钱怎么还没复机 ~ 帮我恢复通话 ~ @钱已经补上了号码多久能正常使用
BILL.SUSPEND.CREDIT ~ 信用额度是多少 ~ 能不能提高信用额度 ~ 透支额度用完了 ~ 信用度不够停机了 ~ @可以先欠着用的那个上限能调高一点吗
CARD.NEW.SELECT ~ 想选个好号码 ~ 有没有尾号8888的号 ~ 选号要钱吗 ~ 靓号怎么办理 ~ @想挑一个容易记的手机号有哪些可选
CARD.NEW.ONLINE ~ 网上办的卡什么时候寄到 ~ 线上申请手机卡 ~ 在网上办卡怎么办 ~ 线上下单的号卡物流查一下 ~ @在你们官网下单的那张电话卡发货了没
CARD.NEW.ACTIVATE.FAIL ~ 新卡激活不了 ~ 手机卡插上显示无服务 ~ 激活失败怎么办 ~ 新卡一直提示未激活 ~ @刚拿到的卡怎么弄都没法开通使用
CARD.NEW.ACTIVATE.FACE ~ 人脸识别一直不通过 ~ 激活卡的时候刷脸失败 ~ 实名认证人脸过不了 ~ 活体检测老是失败 ~ @拍了好几次照片都说不是本人
CARD.NEW.LIMIT ~ 办卡说我名下号码满了 ~ 一个身份证能办几张卡 ~ 一证五号是什么意思 ~ 提示证件下号码超限 ~ @想再开一个号系统说我的证件已经到上限了
CARD.SIM.REPLACE.LOST ~ 手机丢了要补卡 ~ 卡丢了怎么补办 ~ 手机被偷了想补个卡 ~ 补一张同号码的卡 ~ @电话掉在出租车上了号码还能找回来吗
CARD.SIM.REPLACE.DAMAGED ~ 手机卡坏了读不出来 ~ SIM卡显示无卡 ~ 卡片裂了要换卡 ~ 手机卡插上没反应 ~ @那张小卡片好像烧坏了手机识别不到
CARD.SIM.REPLACE.5G ~ 想换个5G卡 ~ 老卡不支持5G，怎么换 ~ 换5G卡要钱吗 ~ 4G卡升级5G卡 ~ @我这张用了十年的旧卡需要更新成新一代的吗
CARD.SIM.PIN ~ 手机提示输入PUK码 ~ PIN码输错三次锁了 ~ SIM卡被锁了 ~ PUK码在哪里查 ~ @开机要输一串解锁码我不知道是多少
CARD.SIM.ESIM ~ 实体卡能转成eSIM吗 ~ 想把卡换成eSIM ~ eSIM转回实体卡 ~ 换新手机eSIM怎么迁移 ~ @把插卡换成内置的电子卡要怎么操作
CARD.STATUS.LOSS ~ 手机丢了先帮我挂失 ~ 马上挂失我的号码 ~ 卡丢了先停机 ~ 挂失一下防止被盗刷 ~ @赶紧把我这个号锁住别让捡到的人用
CARD.STATUS.UNLOCK ~ 手机找到了，取消挂失 ~ 帮我解挂 ~ 挂失后怎么恢复 ~ 号码解除挂失 ~ @丢的手机找回来了号码重新启用吧
CARD.STATUS.KEEP ~ 要出国一段时间，号码想保留 ~ 停机保号怎么办 ~ 暂时不用这个号但不想销户 ~ 保号一个月多少钱 ~ @这个号码一年都用不上但想留着不被收回
CARD.STATUS.REACTIVATE ~ 停机保号的号码想恢复使用 ~ 号码怎么复机 ~ 我回国了要开通号码 ~ 恢复号码正常使用 ~ @之前暂停的号码现在要重新开起来
CARD.TRANSFER.APPLY ~ 号码想过户给家里人 ~ 过户要带什么 ~ 怎么把号码转到别人名下 ~ 公司号码过户给个人 ~ @把这个号的机主换成我儿子需要什么手续
CARD.TRANSFER.DECEASED ~ 家里老人去世了号码想过户 ~ 机主去世了怎么处理号码 ~ 继承号码要什么材料 ~ 父亲的号码想转到我名下，他已经过世了 ~ @亲人不在了留下的电话号码怎么办理变更
CARD.CLOSE.APPLY ~ 我要注销这个号码 ~ 手机号销户 ~ 这张卡不用了帮我停掉 ~ 怎么办理销号 ~ @这个号彻底不要了直接注销掉
CARD.CLOSE.CONDITION ~ 销户需要什么条件 ~ 为什么我销不了户 ~ 有合约能销户吗 ~ 销号要带什么证件 ~ @注销号码之前需要满足哪些要求
CARD.CLOSE.BALANCE ~ 销户后余额怎么退 ~ 号码注销了还有余额 ~ 销号以后剩下的钱去哪了 ~ 销户退费多久到账 ~ @号已经注销了账户里剩的钱还能拿回来吗
CARD.MNP.OUT.QUALIFY ~ 我能不能携号转网 ~ 查一下携转资格 ~ 转网需要什么条件 ~ 我的号码可以转到别家吗 ~ @想带着号码换到其他运营商符合要求吗
CARD.MNP.OUT.CODE ~ 携号转网授权码怎么获取 ~ 发送SQXZ没收到授权码 ~ 授权码过期了 ~ 转网的验证码在哪 ~ @办理转出需要的那串码要怎么拿到
CARD.MNP.OUT.BLOCK ~ 携号转网说我有合约不能转 ~ 为什么不让我携出 ~ 转网被限制了 ~ 有宽带绑定不能携转 ~ @想转到别家却被告知有限制条件办不了
CARD.MNP.OUT.RETAIN ~ 我准备转网了，你们有什么优惠留住我 ~ 不转网的话能给什么福利 ~ 老用户有没有挽留优惠 ~ 你们给我降价我就不转了 ~ @要是给我个好价钱我就继续留在你们这
CARD.MNP.IN ~ 别家的号能转到你们这吗 ~ 携号转入怎么办 ~ 想把号码转到星海 ~ 转入有什么优惠 ~ @我的号现在是其他公司的想迁到你们这边来
CARD.REALNAME.VERIFY ~ 号码要实名认证 ~ 实名登记怎么做 ~ 提示我没有实名 ~ 补登记实名信息 ~ @系统通知说这个号码的身份信息不完整要补录
CARD.REALNAME.CHECK ~ 查一下我名下有几个号码 ~ 我身份证下面有没有别的号 ~ 名下号码查询 ~ 有人用我身份证办卡了吗 ~ @想确认我的证件登记了哪些手机号
CARD.REALNAME.FRAUD.CALL ~ 有人冒充客服给我打电话 ~ 接到诈骗电话了 ~ 有人打电话说我要退款，是骗子吗 ~ 骗子冒充公检法打我电话 ~ @刚才一个自称你们公司的人让我转账是真的吗
CARD.REALNAME.FRAUD.SMS ~ 收到诈骗短信 ~ 短信里有个链接让我领积分 ~ 有人发短信说我中奖了 ~ 短信说我话费要清零让我点链接 ~ @收到一条说账户异常让我登录网址的消息
CARD.REALNAME.FRAUD.BLOCKED ~ 号码被当成涉诈停机了 ~ 说我的号码有风险被停了 ~ 涉诈停机怎么恢复 ~ 我不是骗子为什么封我号 ~ @手机突然被限制通话说是安全风险核查
CARD.REALNAME.PASSWORD.RESET ~ 服务密码忘了 ~ 想重置服务密码 ~ 密码怎么改 ~ 服务密码是多少 ~ @营业厅办事要的那个六位数口令记不住了
CARD.REALNAME.PASSWORD.LOCKED ~ 服务密码输错被锁了 ~ 密码锁定了怎么解 ~ 提示密码错误次数过多 ~ 账户被锁了登不上 ~ @试了好几次口令现在系统不让我再输了
ROAM.OPEN.HOW ~ 出国要开国际漫游 ~ 怎么开通漫游 ~ 去日本手机要办什么 ~ 国际漫游在哪开 ~ @下周出境需要让我的号在外面也能用
ROAM.OPEN.FAIL ~ 漫游开不了 ~ 开通国际漫游失败 ~ 提示不能开通漫游 ~ 漫游申请被拒了 ~ @想开境外使用功能系统一直提示办理不成功
ROAM.OPEN.DEPOSIT ~ 开漫游要交押金吗 ~ 漫游要预存多少钱 ~ 开通国际漫游要担保金吗 ~ 预存款不够开不了漫游 ~ @出国用手机要先存一笔保证金是吗
ROAM.OPEN.CLOSE ~ 帮我关掉国际漫游 ~ 回国了漫游怎么关 ~ 取消漫游功能 ~ 不想用漫游了 ~ @境外使用那个功能我不需要了请停掉
ROAM.PKG.DATA.ASIA ~ 去泰国的流量包 ~ 日本韩国能用的流量包 ~ 东南亚漫游流量多少钱 ~ 去新加坡买什么包 ~ @去越南玩一周上网用哪个包划算
ROAM.PKG.DATA.EUROPE ~ 去欧洲的流量包 ~ 法国德国能用的漫游包 ~ 欧洲多国流量包多少钱 ~ 去英国上网怎么收费 ~ @下个月去意大利西班牙转一圈要买什么上网套餐
ROAM.PKG.DATA.AMERICA ~ 去美国的流量包 ~ 加拿大漫游流量怎么买 ~ 美洲的漫游包 ~ 去巴西上网怎么办 ~ @要去纽约出差两周手机上网买什么
ROAM.PKG.DATA.GLOBAL ~ 有没有全球通用的流量包 ~ 去好几个国家用哪个包 ~ 多国通用流量 ~ 环球旅行流量包 ~ @这趟要跑五六个国家有没有一个包全覆盖
ROAM.PKG.DATA.HKMO ~ 去香港的流量包 ~ 澳门漫游怎么收费 ~ 去台湾用什么流量包 ~ 港澳流量日包 ~ @过关去九龙那边手机上网怎么买最便宜
ROAM.PKG.VOICE ~ 出国打电话有没有语音包 ~ 漫游通话包怎么买 ~ 在国外接电话要钱吗，有没有包 ~ 国际漫游分钟包 ~ @在境外经常要打回国内有没有打电话的套餐
ROAM.PKG.EFFECT ~ 漫游包什么时候生效 ~ 买了漫游流量包怎么没用上 ~ 漫游包是落地就生效吗 ~ 流量包从哪天开始算 ~ @买的境外上网包是到当地才开始计时吗
ROAM.RATE.DATA ~ 漫游上网怎么收费 ~ 国外用流量多少钱一兆 ~ 没买包漫游流量怎么算 ~ 境外上网的资费 ~ @没订套餐的话在国外上网按什么标准扣钱
ROAM.RATE.CALL ~ 在国外打电话多少钱一分钟 ~ 漫游接听收费吗 ~ 国外打回国内怎么收费 ~ 漫游通话资费 ~ @人在海外拨打本地号码每分钟收多少
ROAM.RATE.SMS ~ 在国外发短信多少钱 ~ 漫游收短信收费吗 ~ 境外短信资费 ~ 出国发短信贵不贵 ~ @在外面给国内发一条信息要多少钱
ROAM.RATE.CAP ~ 漫游流量有封顶吗 ~ 每天最多扣多少钱 ~ 漫游封顶规则是什么 ~ 超过封顶还收费吗 ~ @在国外上网一天最高收费是多少会不会无上限
ROAM.FAULT.NOSIGNAL ~ 到了国外手机没信号 ~ 出国后显示无服务 ~ 在国外搜不到网络 ~ 落地了手机一直没信号 ~ @下了飞机手机一直没有任何运营商的网
ROAM.FAULT.NODATA.SWITCH ~ 在国外能打电话不能上网 ~ 漫游上不了网 ~ 数据漫游开关在哪里 ~ 出国后流量用不了 ~ @在海外有信号但是上网的功能用不了
ROAM.FAULT.NODATA.APN ~ 国外上网要改APN吗 ~ 漫游APN怎么设置 ~ 出国后接入点不对 ~ 境外APN填什么 ~ @在国外网络设置里的接入名称该填什么
ROAM.FAULT.NODATA.OPERATOR ~ 在国外手动选网络 ~ 漫游时选哪个运营商 ~ 国外网络选择不对上不了网 ~ 切换当地运营商 ~ @在国外手机自动连的那家网络不能用要换哪家
ROAM.FAULT.CALL ~ 在国外打不了电话 ~ 漫游时电话打不出去 ~ 出国后别人打不通我的电话 ~ 国外拨号失败 ~ @人在外地能上网就是拨号总提示失败
ROAM.FAULT.SMS ~ 在国外收不到验证码 ~ 出国收不到银行短信 ~ 漫游时短信收不到 ~ 境外验证码一直不来 ~ @人在海外登录网银时那条动态码迟迟不到
ROAM.BILL.HIGH ~ 出国回来话费好几千 ~ 漫游费太高了 ~ 国外用了几天扣了一千多 ~ 漫游账单吓死人 ~ @出去旅游一趟回来账单金额大得离谱
ROAM.BILL.DELAY ~ 回国很久了还在扣漫游费 ~ 漫游费怎么延迟扣的 ~ 上个月的漫游费这个月才扣 ~ 为什么现在才出漫游账单 ~ @都回来半个月了怎么还冒出境外的费用
ROAM.INBOUND.VISITOR ~ 香港居民能在内地办卡吗 ~ 外国人怎么办手机卡 ~ 台湾同胞办卡要什么证件 ~ 护照可以办卡吗 ~ @我是海外华人来内地住几个月能开个号吗
ROAM.INBOUND.TOURIST ~ 有没有游客卡 ~ 来中国旅游买什么卡 ~ 短期旅游用的手机卡 ~ 境外游客卡多少钱 ~ @朋友从国外来玩几天要一张临时的卡
CMP.SERVICE.ATTITUDE.HOTLINE ~ 刚才那个客服态度太差了 ~ 投诉你们的接线员 ~ 客服挂我电话 ~ 打热线被凶了 ~ @上一通电话接我的那个人说话很不耐烦
CMP.SERVICE.ATTITUDE.STORE ~ 营业厅的人态度很差 ~ 投诉营业员 ~ 去营业厅办业务被甩脸色 ~ 营业厅工作人员爱答不理 ~ @去你们门店办事那个柜员特别不客气
CMP.SERVICE.ATTITUDE.ENGINEER ~ 装宽带的师傅态度恶劣 ~ 维修师傅骂人 ~ 上门的工程师很不专业 ~ 投诉装维人员 ~ @来家里修网络的那个人说话难听还弄脏了地
CMP.SERVICE.WAIT ~ 打客服电话等了半个小时 ~ 人工一直排队 ~ 在线客服半天不回 ~ 热线总是打不进去 ~ @转人工之后一直在等音乐放了二十分钟
CMP.SERVICE.PROMISE ~ 说好给我回电话一直没回 ~ 答应的事没办到 ~ 说三天处理好到现在没消息 ~ 承诺的赠送没兑现 ~ @你们上次讲好的事情到现在都没做到
CMP.SERVICE.PASSED ~ 打了好几个电话都说不归他们管 ~ 营业厅让我找客服，客服让我找营业厅 ~ 被转来转去没人管 ~ 互相推诿 ~ @每个部门都说去找另一个部门就是没人负责
CMP.BILLING.OVERCHARGE ~ 你们乱收费 ~ 莫名其妙多收钱 ~ 投诉乱扣费 ~ 收费不合理 ~ @明明什么都没用却被收了一堆钱我要投诉
CMP.BILLING.UNAUTH ~ 没经过我同意就给我开了业务 ~ 私自给我订购了套餐 ~ 我没办过却扣费 ~ 未经允许开通增值业务 ~ @从来没有点过确认怎么就给我开了付费服务
CMP.BILLING.REFUND ~ 说好退费到现在没退 ~ 退费只退了一部分 ~ 退费金额不对 ~ 退款一直拖着 ~ @应该退我的钱打了折扣还拖了好几个月
CMP.NETWORK.REPEAT ~ 网络反反复复出问题 ~ 宽带修了好多次还坏 ~ 老是断网我要投诉 ~ 故障一直没彻底解决 ~ @同一个问题修了不下五次还是不行我要投诉
CMP.NETWORK.COVERAGE ~ 你们信号覆盖太差 ~ 投诉没信号 ~ 小区信号差多久了没人管 ~ 覆盖问题一直不解决 ~ @这一带手机网络烂了好几年我要正式投诉
CMP.NETWORK.SPEED ~ 宽带速率跟宣传的不一样 ~ 投诉网速不达标 ~ 花千兆的钱用百兆的速度 ~ 网速一直达不到合同写的 ~ @付的是高速的钱实际给的速度差一大截
CMP.SALES.MISLEAD ~ 营业员骗我办了套餐 ~ 销售说的和实际不一样 ~ 宣传说免费结果收费 ~ 虚假宣传 ~ @当初推销的人说的条件全是假的
CMP.SALES.HARASS ~ 天天有人打电话推销 ~ 营销电话太多了 ~ 别再给我打推销电话了 ~ 一天接三个你们的营销电话 ~ @不停接到劝我办业务的来电烦死了
CMP.SALES.CONTRACT ~ 合约纠纷 ~ 签合约时没说清楚 ~ 合同条款有问题 ~ 合约期被延长了我不知道 ~ @协议里写的和业务员口头说的完全不同
CMP.ESCALATE.SUPERVISOR ~ 叫你们领导来 ~ 我要找主管 ~ 让你们经理给我打电话 ~ 你处理不了就找能处理的人 ~ @把你们负责人叫过来跟我说
CMP.ESCALATE.REGULATOR ~ 我要去工信部投诉 ~ 再不解决我打12300 ~ 我要向管局申诉 ~ 去通信管理局告你们 ~ @这件事我会直接向上级主管部门反映
CMP.ESCALATE.MEDIA ~ 我要找媒体曝光 ~ 发到网上让大家看看 ~ 再不处理我就找电视台 ~ 我要发微博曝光你们 ~ @我把这事写出来放到网上让所有人评评理
CMP.ESCALATE.REPEAT ~ 我已经投诉过好几次了 ~ 上次投诉没人处理又来投诉 ~ 第三次投诉了 ~ 之前的投诉到现在没结果 ~ @同一件事已经反映过很多回了还是没下文
CMP.PRIVACY.LEAK ~ 我的信息被泄露了 ~ 刚办完业务就接到骚扰电话，肯定是你们泄露的 ~ 个人信息被卖了 ~ 别人知道我的套餐信息 ~ @陌生人能说出我的地址和身份证号肯定是从你们这流出去的
CMP.PRIVACY.SPAM ~ 每天收到垃圾短信 ~ 广告短信太多了 ~ 怎么屏蔽垃圾短信 ~ 短信全是推广的 ~ @手机里每天一堆乱七八糟的推广信息
CMP.SUGGEST.PRODUCT ~ 建议你们出个便宜点的套餐 ~ 给你们提个建议 ~ App能不能加个功能 ~ 希望你们改进一下 ~ @我觉得你们的服务可以这样优化一下
CMP.SUGGEST.PRAISE ~ 表扬一下刚才的客服 ~ 维修师傅服务很好想表扬 ~ 营业厅小姑娘很耐心 ~ 想给你们的工作人员点赞 ~ @昨天帮我解决问题的那位员工非常棒
VAS.SUB.QUERY ~ 查一下我开了哪些业务 ~ 我订了什么增值业务 ~ 看看我有没有乱七八糟的业务 ~ 已订业务列表 ~ @帮我列一下这个号上挂着的所有附加服务
VAS.SUB.CANCEL.ONE ~ 帮我退订彩铃 ~ 取消这个增值业务 ~ 退订一个包月业务 ~ 把那个天气预报退了 ~ @就把那一项付费服务取消其他不动
VAS.SUB.CANCEL.ALL ~ 把所有增值业务都退掉 ~ 一键退订 ~ 除了套餐其他全给我取消 ~ 全部退订 ~ @我号码上所有附加的收费项目统统取消
VAS.SUB.BLOCK ~ 帮我屏蔽第三方业务 ~ 以后不能再给我开任何增值业务 ~ 关闭SP订购功能 ~ 防止被乱订业务 ~ @设置一下以后谁都没法往我号上加收费服务
VAS.MEMBER.VIDEO ~ 视频会员怎么领 ~ 送的视频会员在哪看 ~ 视频会员怎么绑定账号 ~ 腾讯视频会员没到账 ~ @套餐送的看电视剧的会员怎么激活
VAS.MEMBER.MUSIC ~ 音乐会员怎么开 ~ 送的音乐会员没到 ~ 听歌会员绑定 ~ 音乐会员能换成别的吗 ~ @套餐里附带的听歌特权在哪领
VAS.MEMBER.CLAIM ~ 权益怎么领取 ~ 每月的权益在哪领 ~ 领不了会员权益 ~ 权益领取失败 ~ @套餐里说可以每月选一项福利在哪里选
VAS.MEMBER.AUTORENEW ~ 怎么关闭会员自动续费 ~ 取消自动续订 ~ 会员不想续费了 ~ 自动续费在哪关 ~ @别让那个会员到期后自己再扣钱了
VAS.CLOUD.DRIVE ~ 云盘空间不够了 ~ 云盘怎么扩容 ~ 云盘里的照片打不开 ~ 云盘会员多少钱 ~ @存在网盘里的相册怎么下载到新手机上
VAS.CLOUD.CAMERA.OFFLINE ~ 摄像头离线了 ~ 看家摄像头连不上 ~ App里摄像头显示离线 ~ 监控看不到画面 ~ @家里那个监控一直显示设备不在线
VAS.CLOUD.CAMERA.STORAGE ~ 摄像头录像怎么存云端 ~ 云存储怎么收费 ~ 看不到前几天的回放 ~ 云录像只能存七天吗 ~ @监控拍的视频想保存得久一点要开什么
VAS.CLOUD.PHONE ~ 云手机怎么用 ~ 云手机卡顿 ~ 开通云手机 ~ 云手机退订 ~ @那个在云端运行的虚拟手机是干什么的
VAS.CALL.RINGTONE ~ 怎么设置彩铃 ~ 换个彩铃 ~ 彩铃怎么取消 ~ 彩铃收费吗 ~ @别人打我电话时听到的那段音乐想换掉
VAS.CALL.NOTIFY ~ 关机的时候有人打电话能提醒我吗 ~ 来电提醒怎么开 ~ 漏接电话短信提醒 ~ 来电提醒没收到 ~ @手机没电时谁找过我能不能发个通知
VAS.CALL.BLOCK ~ 怎么拦截骚扰电话 ~ 开通防骚扰 ~ 推销电话能屏蔽吗 ~ 骚扰拦截怎么设置 ~ @把那些卖房卖保险的来电都挡掉
VAS.CALL.VIDEO ~ 视频通话怎么开 ~ 高清视频通话用不了 ~ 视频电话收费吗 ~ 打不了视频电话 ~ @直接用电话号码打视频的功能怎么开通
VAS.APP.LOGIN ~ App登录不上 ~ 掌上营业厅一直提示验证码错误 ~ App登录收不到验证码 ~ 账号登录异常 ~ @手机上的营业厅软件输完号码就是进不去
VAS.APP.ORDER ~ 在App上下的单查不到 ~ 订单状态一直处理中 ~ 查一下我的订单 ~ App里办的业务成功了吗 ~ @在软件里买的东西显示一直在处理
VAS.APP.BUG ~ App闪退 ~ App打开白屏 ~ 缴费页面打不开 ~ App一直转圈 ~ @手机营业厅一点进去就自己关掉了
ENT.LINE.NEW ~ 公司要开一条专线 ~ 互联网专线怎么办理 ~ 专线开通要多久 ~ 想给办公室拉专线 ~ @我们企业需要一条独享带宽的线路
ENT.LINE.FAULT.DOWN ~ 公司专线断了 ~ 专线中断，业务全停了 ~ 我们的专线连不上 ~ 专线业务中断 ~ @公司那条独享线路完全不通了影响生产
ENT.LINE.FAULT.LATENCY ~ 专线延迟很高 ~ 专线ping值高 ~ 专线时延不正常 ~ 视频会议卡，专线延迟大 ~ @我们企业线路的响应时间比平时长了很多
ENT.LINE.FAULT.LOSS ~ 专线丢包严重 ~ 专线ping有丢包 ~ 数据传输老是丢包 ~ 专线丢包率很高 ~ @公司线路上的数据包一直在丢
ENT.LINE.SLA ~ 专线中断了能赔偿吗 ~ SLA怎么赔付 ~ 专线可用率不达标 ~ 断网时间超过SLA ~ @协议里的服务等级没做到要求按条款补偿
ENT.GROUP.MEMBER ~ 集团成员加人 ~ 把员工号码加进集团 ~ 集团里删掉离职员工 ~ 集团成员管理 ~ @新来的同事的号码怎么挂到我们公司名下
ENT.GROUP.BILL ~ 集团账单查一下 ~ 公司统一付费的账单 ~ 集团账户欠费 ~ 集团话费明细 ~ @我们单位统一结算的那份话费清单要一份
ENT.GROUP.PLAN ~ 集团套餐有哪些 ~ 公司员工办集团套餐 ~ 企业套餐优惠 ~ 集团内部通话免费吗 ~ @给全公司的人统一办一种套餐有什么方案
ENT.GROUP.MANAGER ~ 我们公司的客户经理是谁 ~ 联系不上客户经理 ~ 换个客户经理 ~ 客户经理电话多少 ~ @负责我们企业的那位对接人怎么联系
ENT.IOT.CARD ~ 物联网卡怎么办 ~ 物联网卡流量用完了 ~ 物联网卡停机了 ~ 批量办物联网卡 ~ @给设备用的那种数据卡怎么采购
ENT.IOT.PLATFORM ~ 物联网平台登录不了 ~ 连接管理平台怎么用 ~ 平台上看不到卡的状态 ~ 物联网平台接口报错 ~ @管理那些设备卡的网站后台出问题了
ENT.IOT.OFFLINE ~ 物联网设备离线了 ~ 终端批量掉线 ~ 共享单车的卡都不在线 ~ 设备一直离线 ~ @我们装在外面的那一批终端全部没有上报数据
ENT.CLOUD.HOST ~ 云主机怎么买 ~ 云服务器连不上 ~ 云主机扩容 ~ 云主机很卡 ~ @租的那台虚拟服务器远程登录不进去
ENT.CLOUD.IDC ~ 机房托管多少钱 ~ 想在你们机房放服务器 ~ 托管机柜 ~ IDC机房断电了 ~ @我们放在你们数据中心的机柜出问题了
ENT.CLOUD.CDN ~ CDN加速怎么开 ~ CDN回源慢 ~ 网站加速服务 ~ CDN流量计费 ~ @想让我们网站的图片在全国加载快一点
ENT.COMM.TRUNK ~ 中继线怎么开通 ~ SIP中继打不出去 ~ 公司总机中继线故障 ~ 中继线路数不够 ~ @公司呼叫中心接的那条语音线路出问题了
ENT.COMM.400 ~ 400电话怎么办理 ~ 400号码打不通 ~ 400电话资费 ~ 400号码转接设置 ~ @想给公司申请一个全国统一的客服热线号
ENT.COMM.SMS.SIGN ~ 短信签名怎么报备 ~ 签名审核没通过 ~ 企业短信要改签名 ~ 短信签名被驳回 ~ @群发的消息前面那个公司名称需要审批吗
ENT.COMM.SMS.DELIVERY ~ 企业短信发出去收不到 ~ 群发短信到达率很低 ~ 验证码短信延迟 ~ 短信发送失败很多 ~ @我们给客户批量发的通知大部分都没送达
ENT.COMM.MEETING ~ 云会议怎么开 ~ 视频会议卡顿 ~ 云会议账号 ~ 会议人数上限 ~ @公司开远程会议用的那个平台总掉线
GEN.STORE.ADDRESS ~ 最近的营业厅在哪 ~ 附近有你们的营业厅吗 ~ 营业厅地址 ~ 哪个营业厅能办携号转网 ~ @离我家最近的门店在什么位置
GEN.STORE.HOURS ~ 营业厅几点开门 ~ 周末营业厅上班吗 ~ 营业厅几点下班 ~ 过年营业厅开不开 ~ @门店晚上营业到几点钟
GEN.STORE.APPT ~ 营业厅能预约吗 ~ 想预约去营业厅办业务 ~ 网上预约营业厅取号 ~ 预约办理怎么弄 ~ @去门店之前能不能先在网上约个时间
GEN.ACCOUNT.CONTACT ~ 改一下联系电话 ~ 更新我的联系方式 ~ 留的邮箱要改 ~ 紧急联系人改一下 ~ @以前登记的备用号码不用了换个新的
GEN.ACCOUNT.ADDRESS ~ 改账单寄送地址 ~ 纸质账单地址变更 ~ 账单地址写错了 ~ 账单别寄到老地址了 ~ @每月邮寄的对账单要寄到新家
GEN.POLICY.TARIFF ~ 资费政策有调整吗 ~ 为什么套餐涨价了 ~ 新的资费标准 ~ 资费公示在哪看 ~ @听说下个月起收费规则要变了是真的吗
GEN.POLICY.ELDER ~ 老年人有优惠吗 ~ 给老人办个简单点的套餐 ~ 老人专席怎么打 ~ 老年卡 ~ @家里长辈年纪大了有没有照顾老人的服务
GEN.POLICY.ACCESS ~ 有没有手语服务 ~ 视障人士怎么办业务 ~ 残疾人有优惠吗 ~ 无障碍服务 ~ @我听力不好有没有文字沟通的渠道
GEN.OTHER.WRONGCALL ~ 不好意思打错了 ~ 我本来要打银行的 ~ 拨错号了 ~ 这是哪里 ~ @哦抱歉我按错了键不是找你们的
GEN.OTHER.SILENT ~ 喂？喂？听得到吗 ~ 喂……喂…… ~ 说话啊，有人吗 ~ 喂，这边听不清 ~ @喂喂喂怎么没声音的
"""

# Ways to say things that a customer wraps a request in. The last third of each list is held out:
# only demo/heldout.csv uses it.
OPENERS = ["", "", "", "你好，", "您好，", "喂，", "那个，", "请问一下，", "麻烦问下，", "我想问一下，", "哎，", "客服你好，",
           "在吗？", "我跟你说，", "是这样的，", "你好啊，", "嗯……", "亲，",
           # held out
           "打扰一下，", "喂喂，", "就是，", "帮个忙，", "咨询个事，", "小姐姐你好，"]
CLOSERS = ["", "", "", "。", "？", "，谢谢", "，急", "，咋整啊", "，麻烦快点", "，怎么弄", "，在线等", "。", "，谢了",
           "，帮我看看", "，怎么回事", "，能处理吗", "！", "，烦死了",
           # held out
           "，拜托了", "，求解答", "，多谢啦", "，搞快点"]
HELD_FROM = {"OPENERS": 18, "CLOSERS": 18}

# Common misspellings (same-sound characters, as a phone keyboard gives them), split the same way.
TYPOS = [("账单", "帐单"), ("怎么", "怎莫"), ("已经", "以经"), ("流量", "流两"), ("宽带", "宽代"), ("套餐", "套参"),
         ("充值", "冲值"), ("什么", "神马"), ("信号", "信好"), ("密码", "蜜码"), ("投诉", "投述"), ("手机", "手鸡"),
         ("一直", "一只"), ("办理", "半理"),
         # held out
         ("的", "滴"), ("没有", "木有"), ("话费", "花费"), ("号码", "好码"), ("这个", "介个"), ("漫游", "慢游")]
HELD_TYPOS_FROM = 14

# Words customers say in English in the middle of Chinese.
ENGLISH = [("宽带", "broadband"), ("流量", "data"), ("套餐", "plan"), ("账单", "bill"), ("发票", "invoice"),
           ("密码", "password"), ("验证码", "code"), ("信号", "signal"), ("退款", "refund"), ("退费", "refund"),
           ("会员", "VIP"), ("漫游", "roaming"), ("客服", "CS"), ("取消", "cancel"), ("升级", "upgrade"),
           ("手机", "phone"), ("网速", "网速 speed"), ("营业厅", "store"), ("订单", "order"), ("掉线", "掉线 offline"),
           ("摄像头", "camera"), ("路由器", "router"), ("话费", "话费 balance"), ("投诉", "complain"), ("合约", "contract")]

# Simplified → Traditional, for the characters the wording uses (zh-Hant customers).
TRADITIONAL = {}
TRADITIONAL.update({"网": "網", "么": "麼", "里": "裡", "后": "後", "发": "發", "面": "面", "台": "臺", "干": "幹", "只": "只",
                    "够": "夠", "吗": "嗎", "给": "給", "让": "讓", "样": "樣", "没": "沒", "说": "說", "这": "這", "个": "個",
                    "们": "們", "话": "話", "费": "費", "钱": "錢", "号": "號", "码": "碼", "开": "開", "关": "關", "连": "連",
                    "断": "斷", "办": "辦", "务": "務", "业": "業", "厅": "廳", "员": "員", "机": "機", "电": "電", "视": "視",
                    "频": "頻", "认": "認", "证": "證", "语": "語", "额": "額", "余": "餘", "单": "單", "账": "賬", "帐": "帳",
                    "户": "戶", "销": "銷", "携": "攜", "转": "轉", "诈": "詐", "骗": "騙", "惯": "慣", "扰": "擾", "铃": "鈴",
                    "云": "雲", "盘": "盤", "监": "監", "录": "錄", "师": "師", "门": "門", "态": "態", "恶": "惡", "广": "廣",
                    "导": "導", "领": "領", "经": "經", "权": "權", "续": "續", "锁": "鎖", "钟": "鐘", "帮": "幫", "妈": "媽",
                    "儿": "兒", "亲": "親", "戏": "戲", "游": "遊", "邻": "鄰", "区": "區", "楼": "樓", "栋": "棟", "纠": "糾",
                    "纷": "紛", "约": "約", "纸": "紙", "质": "質", "邮": "郵", "剩": "剩", "尽": "盡", "试": "試", "进": "進",
                    "则": "則", "识": "識", "复": "復", "摄": "攝", "团": "團", "边": "邊", "页": "頁", "体": "體", "该": "該",
                    "仅": "僅", "几": "幾", "络": "絡", "线": "線", "达": "達", "实": "實", "际": "際", "测": "測", "缴": "繳",
                    "预": "預", "缓": "緩", "现": "現", "场": "場", "选": "選", "择": "擇", "运": "運", "营": "營", "内": "內",
                    "银": "銀", "书": "書", "写": "寫", "报": "報", "层": "層", "标": "標", "准": "準", "规": "規", "范": "範",
                    "时": "時", "间": "間", "问": "問", "题": "題", "还": "還", "过": "過", "国": "國", "际": "際", "漫": "漫",
                    "带": "帶", "宽": "寬", "灯": "燈", "红": "紅", "闪": "閃", "坏": "壞", "烧": "燒", "乱": "亂", "脸": "臉",
                    "过": "過", "长": "長", "对": "對", "处": "處", "确": "確", "图": "圖", "显": "顯", "统": "統", "级": "級",
                    "较": "較", "点": "點", "买": "買", "卖": "賣", "会": "會", "订": "訂", "优": "優", "惠": "惠", "条": "條",
                    "两": "兩", "组": "組", "织": "織", "讲": "講", "记": "記", "东": "東", "车": "車", "头": "頭", "见": "見",
                    "觉": "覺", "动": "動", "为": "為", "与": "與", "专": "專", "价": "價", "来": "來", "风": "風", "险": "險",
                    "当": "當", "请": "請", "谢": "謝", "难": "難", "听": "聽", "济": "濟", "联": "聯", "系": "繫", "队": "隊",
                    "产": "產", "签": "簽", "输": "輸", "传": "傳", "详": "詳", "细": "細", "变": "變", "调": "調", "资": "資",
                    "检": "檢", "查": "查", "询": "詢", "验": "驗", "罚": "罰", "违": "違", "补": "補", "偿": "償", "读": "讀",
                    "设": "設", "备": "備", "装": "裝", "应": "應", "换": "換", "让": "讓", "动": "動", "现": "現", "这": "這",
                    "边": "邊", "见": "見", "状": "狀", "务": "務", "问": "問", "赠": "贈", "积": "積", "兑": "兌", "换": "換",
                    "归": "歸", "签": "簽", "递": "遞", "给": "給", "烦": "煩", "赶": "趕", "紧": "緊", "别": "別", "坚": "堅",
                    "庆": "慶", "杂": "雜", "让": "讓", "说": "說", "时": "時", "惊": "驚", "离": "離", "闹": "鬧", "飞": "飛",
                    "数": "數", "据": "據", "软": "軟", "件": "件", "启": "啟", "执": "執", "万": "萬", "块": "塊", "岁": "歲",
                    "优": "優", "质": "質", "节": "節", "剧": "劇", "乐": "樂", "赔": "賠", "损": "損", "务": "務", "员": "員",
                    "试": "試", "丢": "丟", "偷": "偷", "挂": "掛", "绑": "綁", "定": "定", "续": "續", "绝": "絕", "档": "檔",
                    "计": "計", "划": "劃", "压": "壓", "无": "無", "爷": "爺", "热": "熱", "种": "種", "宁": "寧", "愿": "願",
                    "庄": "莊", "满": "滿", "听": "聽", "终": "終", "端": "端", "节": "節", "铺": "鋪", "轮": "輪", "摇": "搖",
                    "态": "態", "顺": "順", "问": "問", "闻": "聞", "处": "處", "团": "團", "证": "證", "纪": "紀"})

# What English-speaking customers (expats, visitors) say, for the leaves they call about most; same
# format, the `@` phrase held out.
ENGLISH_LEAVES = """
BB.NEW.APPLY ~ I'd like to get broadband installed at my flat ~ how do I sign up for home internet ~ can you set up fibre at my new place ~ @I just moved in and need a home internet connection, what do I do
BB.FAULT.NOLINK.LOS ~ the LOS light on my modem is flashing red ~ my internet is down and there's a red light on the box ~ red LOS light, no internet at all ~ @the optical signal light keeps blinking red and nothing loads
BB.FAULT.NOLINK.AREA ~ the whole building has no internet ~ my neighbours are offline too, is there an outage ~ is there a network outage in my area ~ @everyone on our street lost their connection this morning
BB.FAULT.SLOW.PEAK ~ my internet gets really slow every evening ~ speeds drop at night, fine in the day ~ streaming buffers after 8pm ~ @the connection crawls in the evenings but is okay during the day
BB.FAULT.SLOW.SPEEDTEST ~ I pay for 500 Mbps but the speed test shows 40 ~ speed tests are way below my plan ~ wired speed test is far below what I pay for ~ @I'm only getting a fraction of the bandwidth I signed up for
BB.FAULT.DROP.WIFI ~ my wifi keeps dropping ~ the wireless disconnects every few minutes ~ wifi cuts out all the time ~ @my devices keep losing the wireless connection
BB.FAULT.WIFI.PASSWORD ~ I forgot my wifi password ~ how do I change the wifi password ~ where can I find my wireless password ~ @I can't remember the key for my home network
BB.FAULT.REPAIR.MISSED ~ the engineer never showed up ~ I waited all day and the technician didn't come ~ my repair appointment was missed ~ @nobody turned up for the repair visit you booked
BB.PKG.UPGRADE ~ I want to upgrade my broadband speed ~ can I go from 300M to gigabit ~ how much to get faster internet ~ @I'd like a faster home connection, what are the options
BB.MOVE.APPLY ~ I'm moving house, can I take my broadband with me ~ I need to relocate my internet service ~ transfer broadband to my new address ~ @can my home internet follow me to a new apartment
BB.CANCEL.APPLY ~ I want to cancel my broadband ~ please disconnect my home internet ~ how do I terminate my broadband service ~ @I'm leaving the country and want to close my home internet
BB.CANCEL.PENALTY ~ is there a fee for cancelling my broadband early ~ what's the early termination charge ~ how much is the penalty to end my contract early ~ @what will it cost me to break the internet contract before it ends
MOB.PLAN.QUERY ~ what plan am I on ~ what does my current plan include ~ how many minutes and GB are in my plan ~ @can you tell me the details of my monthly package
MOB.PLAN.CHANGE.UP ~ I want a bigger plan with more data ~ can I upgrade my mobile plan ~ switch me to the 129 plan ~ @my package isn't enough, I need a higher tier
MOB.PLAN.CHANGE.DOWN ~ I want a cheaper plan ~ can I downgrade my plan ~ my plan is too expensive, move me to a lower one ~ @please put me on a smaller, less expensive package
MOB.DATA.USAGE ~ how much data have I used this month ~ how much data do I have left ~ check my data usage please ~ @what's my remaining mobile internet allowance
MOB.DATA.ADDON.MONTH ~ I ran out of data, can I buy more ~ I need a data add-on ~ is there a monthly data pack ~ @my allowance is gone, what top-up bundles do you have
MOB.DATA.THROTTLE ~ my data speed has been throttled ~ my unlimited plan got slowed down ~ why is my mobile internet so slow, I still have data ~ @you capped my speed even though it says unlimited
MOB.SIGNAL.NONE.HOME ~ I have no signal at home ~ my phone shows no service in my apartment ~ zero bars indoors at home ~ @inside my flat the phone can't find any network
MOB.SIGNAL.WEAK ~ my signal is really weak ~ I only get one bar ~ calls keep breaking up because of bad signal ~ @the reception on my phone is poor everywhere
MOB.SIGNAL.5G ~ I have a 5G plan but only see 4G ~ 5G isn't working on my phone ~ why can't I connect to 5G ~ @my handset never shows the 5G icon
MOB.SIGNAL.DATA.APN ~ I can make calls but mobile data doesn't work ~ what APN should I use ~ my data won't connect after switching phones ~ @what are the access point settings for your network
BILL.QUERY.MONTHLY ~ why is my bill so high this month ~ can you explain my monthly bill ~ I want to check this month's bill ~ @my statement this month is much bigger than usual
BILL.QUERY.BALANCE ~ what's my account balance ~ how much credit do I have left ~ check my balance please ~ @how much money is left on my number
BILL.DISPUTE.VAS.SP ~ there's a charge on my bill I don't recognise ~ I'm being charged for a service I never ordered ~ what is this monthly charge from a third party ~ @an unknown subscription fee keeps appearing on my statement
BILL.DISPUTE.DOUBLE ~ I was charged twice ~ the same payment was taken two times ~ duplicate charge on my account ~ @you billed me twice for the same month
BILL.DISPUTE.ROAM ~ my roaming charges are wrong ~ I bought a roaming pack but was still charged daily rates ~ I dispute these roaming fees ~ @the charges from my trip abroad don't match the pack I bought
BILL.PAY.CHANNEL ~ how can I pay my bill ~ can I pay with WeChat or Alipay ~ where do I pay my phone bill ~ @what payment methods do you accept
BILL.PAY.NOTARRIVED ~ I topped up but the money hasn't arrived ~ my payment went through but my balance didn't change ~ recharge not credited ~ @I paid an hour ago and my account still shows nothing
BILL.REFUND.APPLY ~ I want a refund ~ please refund the overcharge ~ how do I request a refund ~ @I'd like my money back for the wrong charge
BILL.INVOICE.EINVOICE ~ I need an invoice for my bill ~ how do I get a fapiao ~ can you email me an e-invoice ~ @my company needs a receipt for my phone expenses
BILL.SUSPEND.ARREARS ~ my line was suspended for non-payment ~ my number got cut off, it says I owe money ~ I can't make calls, suspended for unpaid bill ~ @service was stopped because I missed a payment
CARD.NEW.ACTIVATE.FAIL ~ my new SIM won't activate ~ the SIM says not activated ~ I can't activate my new card ~ @the card you sent me still doesn't work
CARD.SIM.REPLACE.LOST ~ I lost my SIM, how do I get a replacement ~ my phone was stolen, I need a new SIM with the same number ~ replacement SIM card please ~ @I need a new card for my number after losing my phone
CARD.SIM.PIN ~ my phone is asking for a PUK code ~ I entered the wrong PIN three times ~ my SIM is locked ~ @the phone wants an unlock code for the SIM
CARD.STATUS.LOSS ~ please block my number, I lost my phone ~ suspend my line, my phone was stolen ~ report my SIM as lost ~ @freeze my number so nobody can use it
CARD.STATUS.KEEP ~ I'm leaving for a year, can I keep my number ~ how do I keep my number without using it ~ number retention while I'm abroad ~ @I want to hold on to my number while I'm away for months
CARD.CLOSE.APPLY ~ I want to close my mobile account ~ please cancel my number ~ how do I terminate my line ~ @I'm leaving China and want to shut down this number
CARD.MNP.OUT.QUALIFY ~ can I port my number to another carrier ~ am I eligible for number portability ~ I want to switch providers and keep my number ~ @is my line allowed to transfer to a different operator
CARD.REALNAME.FRAUD.CALL ~ someone called pretending to be from your company ~ I got a scam call ~ a caller asked me to transfer money, is that you ~ @a person claiming to be customer service asked for my bank details
CARD.REALNAME.PASSWORD.RESET ~ I forgot my service password ~ how do I reset my service PIN ~ I need to change my account password ~ @I can't remember the six-digit code for my account
ROAM.OPEN.HOW ~ how do I turn on international roaming ~ I'm travelling abroad, what do I need to activate ~ enable roaming on my number please ~ @my phone needs to work overseas next week
ROAM.OPEN.CLOSE ~ please turn off roaming ~ I'm back home, disable international roaming ~ cancel roaming on my line ~ @I no longer need my phone to work abroad
ROAM.PKG.DATA.ASIA ~ data pack for Japan ~ roaming data for Thailand ~ what pack should I buy for Singapore ~ @I'm going to Vietnam for a week, which data bundle
ROAM.PKG.DATA.EUROPE ~ roaming data pack for Europe ~ I'm going to France and Germany, what pack ~ how much is data in the UK ~ @touring Italy and Spain next month, what internet pack do I need
ROAM.PKG.DATA.AMERICA ~ data pack for the US ~ roaming in Canada ~ what data bundle for the Americas ~ @I'll be in New York on business, how do I get data
ROAM.RATE.CALL ~ how much are calls when roaming ~ do I pay to receive calls abroad ~ what does it cost to call home from overseas ~ @per-minute price for phoning while I'm overseas
ROAM.FAULT.NODATA.SWITCH ~ I have signal abroad but no data ~ roaming data isn't working ~ where is the data roaming switch ~ @I can call but can't get online overseas
ROAM.FAULT.SMS ~ I'm not getting verification codes abroad ~ bank SMS doesn't arrive while roaming ~ I can't receive texts overseas ~ @one-time passwords never reach me when I'm travelling
ROAM.BILL.HIGH ~ my roaming bill is huge ~ I was charged a fortune for a few days abroad ~ why is my roaming bill so expensive ~ @I came back from holiday to an enormous bill
ROAM.INBOUND.TOURIST ~ do you have a tourist SIM ~ what SIM should I get as a visitor ~ I'm visiting China, need a prepaid SIM ~ @a short-term card for my trip here
ROAM.INBOUND.VISITOR ~ can a foreigner get a SIM card ~ can I register a number with my passport ~ I'm from Hong Kong, can I open a line here ~ @I'm working here for a year on a visa, can I get a number
CMP.SERVICE.ATTITUDE.HOTLINE ~ the agent I spoke to was really rude ~ I want to complain about your call centre staff ~ your agent hung up on me ~ @the person on the phone earlier was very impolite
CMP.SERVICE.WAIT ~ I waited forever to get through ~ I've been on hold for 40 minutes ~ your chat takes ages to reply ~ @it took far too long to reach a human
CMP.ESCALATE.SUPERVISOR ~ I want to speak to a supervisor ~ get me your manager ~ put me through to someone senior ~ @I need someone with more authority to handle this
CMP.ESCALATE.REGULATOR ~ I'm going to report you to the regulator ~ I'll file a complaint with the ministry ~ I'm escalating this to the telecom authority ~ @I will take this to the government body that oversees you
CMP.SALES.HARASS ~ stop calling me with sales offers ~ I get marketing calls from you every day ~ take me off your sales call list ~ @your promotional calls are driving me mad
VAS.SUB.CANCEL.ALL ~ cancel all my add-on services ~ unsubscribe me from everything except my plan ~ remove every value-added service ~ @strip all extra paid features off my line
VAS.APP.LOGIN ~ I can't log in to your app ~ the app won't accept my verification code ~ login keeps failing in the app ~ @your mobile app won't let me sign in
GEN.STORE.ADDRESS ~ where is your nearest store ~ is there a shop near me ~ store locations please ~ @where can I visit you in person
GEN.STORE.HOURS ~ what time do your stores open ~ are stores open on Sunday ~ when does the store close ~ @what are the shop opening times
GEN.OTHER.WRONGCALL ~ sorry, wrong number ~ oops, I meant to call my bank ~ I dialled the wrong number ~ @my apologies, I pressed the wrong contact
"""

EN_OPENERS = ["", "", "Hi, ", "Hello, ", "Hey, ", "Um, ", "Quick question: ", "Hi there, ", "Hello? ", "So, ",
              # held out
              "Good morning, ", "Excuse me, ", "Sorry to bother you, "]
EN_CLOSERS = ["", "", ".", "?", ", thanks", ", please", "!", " asap", ", can you help", " :(",
              # held out
              ", cheers", ", any idea?", ", much appreciated"]
EN_HELD_FROM = 10

# Three more ways to ask for each leaf, in the words of other customers (used in conversations only,
# like the phrases of LEAVES without `@`).
MORE_LEAVES = """
BB.NEW.APPLY ~ 你们宽带怎么报装 ~ 家里要通网，光纤能办吗 ~ 开个户装网，我刚搬过来
BB.NEW.SURVEY ~ 我住的地方你们能不能拉网 ~ 查一下我们那边有没有端口 ~ 这个小区是不是你们的网覆盖不到
BB.NEW.APPT ~ 装网的人几点来，我要请假 ~ 师傅上门时间能不能约晚一点 ~ 安装预约改到下周
BB.NEW.PROGRESS ~ 报装好多天了没动静 ~ 我的新装工单到哪了 ~ 宽带申请了半个月还没装上
BB.NEW.FEE ~ 装网收不收手续费 ~ 安装宽带一共要花多少钱 ~ 开通宽带有没有额外费用
BB.FAULT.NOLINK.LOS ~ 光纤灯是红的，网上不了 ~ 那个LOS亮了，是线断了吗 ~ 红灯闪个不停，网络全断
BB.FAULT.NOLINK.PPPOE ~ 宽带连接的时候报错 ~ 拨号上网显示连接失败 ~ 路由器显示PPPoE认证失败
BB.FAULT.NOLINK.ONT ~ 光猫死机了，重启也没用 ~ 光猫冒烟了还有焦味 ~ 光猫所有灯都灭了
BB.FAULT.NOLINK.ARREARS ~ 是不是没交钱所以网断了 ~ 宽带费没扣成功，网停了 ~ 网页提示我欠费停机
BB.FAULT.NOLINK.AREA ~ 我们这一片是不是在抢修 ~ 整栋楼都掉网了 ~ 街道上好几家都没网
BB.FAULT.SLOW.ALL ~ 网速慢到打不开微信图片 ~ 宽带速度一直上不去 ~ 整天都卡，什么都下载不动
BB.FAULT.SLOW.PEAK ~ 每天晚上网都特别卡 ~ 晚高峰视频根本看不了 ~ 夜里八九点网速掉得厉害
BB.FAULT.SLOW.SITE ~ 只有打游戏的时候卡 ~ 某个网站一直打不开，别的都行 ~ 看B站卡，其他正常
BB.FAULT.SLOW.SPEEDTEST ~ 测速跟办的带宽差太远 ~ 我用网线测只有一半的速度 ~ 签约速率达不到，测了好多次
BB.FAULT.DROP.WIFI ~ 无线老断，有线倒还行 ~ WiFi时断时续 ~ 连上WiFi一会就没网了
BB.FAULT.DROP.WIRED ~ 网线上网也一会儿断一会儿好 ~ 电脑插着网线还掉线 ~ 有线网络频繁断开
BB.FAULT.WIFI.COVER ~ 离路由器远一点就没信号 ~ 家里有的房间WiFi覆盖不到 ~ 卫生间里连不上WiFi
BB.FAULT.WIFI.PASSWORD ~ 无线密码是多少 ~ 怎么修改WiFi名字和密码 ~ WiFi密码被人知道了想改掉
BB.FAULT.WIFI.MESH ~ 买了个子路由怎么组网 ~ 想办个全屋WiFi ~ Mesh设备怎么租
BB.FAULT.IPTV.NOSIGNAL ~ 电视没信号了 ~ 机顶盒灯亮着电视没画面 ~ 网络电视打不开
BB.FAULT.IPTV.FREEZE ~ 电视画面卡成PPT ~ 看电视老是马赛克 ~ 直播一卡一卡的
BB.FAULT.IPTV.AUTH ~ 电视认证不通过 ~ 机顶盒报认证错误 ~ IPTV账号登不上
BB.FAULT.REPAIR.STATUS ~ 维修进度怎么样了 ~ 报修单有人接了吗 ~ 帮我催一下维修单
BB.FAULT.REPAIR.MISSED ~ 维修的人一直没来 ~ 约好上门结果没人来 ~ 说好今天修，人都没见着
BB.FAULT.REPAIR.REPEAT ~ 又坏了，这是第几次了 ~ 修完又出同样的问题 ~ 宽带一个月坏好几回
BB.PKG.UPGRADE ~ 宽带升个速 ~ 想把宽带换成千兆的 ~ 提速要不要换光猫
BB.PKG.RENEW ~ 宽带续费怎么弄 ~ 合约到期了想续一年 ~ 续约宽带能便宜点吗
BB.PKG.BUNDLE ~ 手机加宽带的套餐有哪些 ~ 办个融合的划算吗 ~ 宽带和手机号能合一起吗
BB.PKG.PRICE ~ 宽带怎么收费的 ~ 包年宽带多少钱 ~ 你们宽带资费怎么算
BB.MOVE.APPLY ~ 搬家了宽带怎么移 ~ 宽带迁到新地址 ~ 想办移机
BB.MOVE.NORES ~ 新家那边说没有宽带资源 ~ 移机地址没覆盖怎么办 ~ 搬过去装不了宽带合约能解吗
BB.MOVE.FEE ~ 移机多少钱 ~ 搬家移宽带收不收费 ~ 移机费能免吗
BB.CANCEL.APPLY ~ 宽带不要了 ~ 帮我把宽带退掉 ~ 申请拆除宽带
BB.CANCEL.PENALTY ~ 提前解约宽带要赔钱吗 ~ 拆机违约金能不能免 ~ 宽带没到期退掉要多少钱
BB.CANCEL.DEVICE ~ 光猫怎么还 ~ 退宽带设备要去营业厅吗 ~ 拆机设备上门回收吗
BB.DEVICE.ONT ~ 光猫能换个新的吗 ~ 光猫太老了网速上不去 ~ 想换千兆光猫
BB.DEVICE.ROUTER ~ 路由器坏了 ~ 路由器信号不好想换 ~ 路由器怎么设置
BB.DEVICE.STB ~ 机顶盒坏了 ~ 想再加一个机顶盒 ~ 机顶盒遥控器怎么配对
BB.DEVICE.DEPOSIT ~ 押金退不退 ~ 设备押金交了要怎么拿回 ~ 光猫押金多少钱
MOB.PLAN.QUERY ~ 我的套餐是多少钱的 ~ 查查我现在的资费 ~ 套餐里有多少分钟
MOB.PLAN.CHANGE.UP ~ 套餐往上升一档 ~ 换个流量多的套餐 ~ 想办更大的套餐
MOB.PLAN.CHANGE.DOWN ~ 套餐降一下 ~ 月租太高想换低一点的 ~ 改个最便宜的套餐
MOB.PLAN.CHANGE.EFFECT ~ 套餐改了哪天开始用 ~ 变更套餐当月生效吗 ~ 新套餐下个月才生效吗
MOB.PLAN.CHANGE.CONTRACT ~ 合约期能改套餐吗 ~ 有合约不让降套餐 ~ 合约没满能换资费吗
MOB.PLAN.RECOMMEND ~ 推荐个套餐 ~ 哪个套餐性价比高 ~ 学生用什么套餐好
MOB.PLAN.5G ~ 5G套餐怎么收费 ~ 升级5G套餐 ~ 5G套餐流量多少
MOB.PLAN.FAMILY.ADD ~ 加个副卡 ~ 给老婆办个副卡 ~ 家庭套餐加成员
MOB.PLAN.FAMILY.REMOVE ~ 副卡取消 ~ 把家庭成员删了 ~ 退掉一张副卡
MOB.PLAN.FAMILY.SHARE ~ 副卡用不了主卡流量 ~ 共享流量怎么设置 ~ 家庭共享分钟数
MOB.DATA.USAGE ~ 流量用了多少 ~ 查查剩余流量 ~ 这个月流量够不够
MOB.DATA.ADDON.DAY ~ 办个流量日包 ~ 今天流量不够用了买个日包 ~ 一天的流量包多少钱
MOB.DATA.ADDON.MONTH ~ 买个流量包 ~ 加油包怎么订 ~ 订个月包
MOB.DATA.ADDON.DIR ~ 定向流量怎么开 ~ 视频专属流量 ~ 游戏定向流量包
MOB.DATA.OVERAGE ~ 流量超了扣了好多 ~ 超出的流量怎么收费 ~ 流量超额费能减免吗
MOB.DATA.THROTTLE ~ 被限速了 ~ 网速被降了 ~ 达量降速了怎么办
MOB.DATA.ROLLOVER ~ 流量结转 ~ 剩余流量清零了 ~ 上月流量能带到这个月吗
MOB.VOICE.MINUTES ~ 通话时间用完了 ~ 查一下通话分钟 ~ 加个语音包
MOB.VOICE.SMS ~ 短信收不到 ~ 发不了短信 ~ 短信一直发送失败
MOB.VOICE.FORWARD ~ 开呼叫转移 ~ 关掉来电转接 ~ 电话转到座机上
MOB.VOICE.WAIT ~ 开通呼叫等待 ~ 来电等待没有了 ~ 通话时插进来的电话听不到
MOB.VOICE.VOLTE ~ 开VoLTE ~ 高清通话开不了 ~ 打电话时流量断了
MOB.SIGNAL.NONE.HOME ~ 家里没信号 ~ 屋里手机无服务 ~ 在家接不到电话
MOB.SIGNAL.NONE.OFFICE ~ 办公室没信号 ~ 公司里打不了电话 ~ 在单位手机没服务
MOB.SIGNAL.NONE.RURAL ~ 农村没信号 ~ 乡下打不通电话 ~ 郊区手机没服务
MOB.SIGNAL.WEAK ~ 信号弱 ~ 信号不好 ~ 手机信号老是一格
MOB.SIGNAL.5G ~ 用不了5G ~ 5G网络连不上 ~ 手机不显示5G
MOB.SIGNAL.CALLDROP ~ 通话掉线 ~ 电话老是断 ~ 打电话总断线
MOB.SIGNAL.DATA.APN ~ 手机上不了网 ~ 流量开着没网 ~ APN设置不对
MOB.SIGNAL.DATA.SUSPEND ~ 流量被停了 ~ 上网功能关闭了 ~ 恢复数据业务
MOB.DEVICE.CONTRACT ~ 合约机 ~ 存费送手机 ~ 办合约买手机
MOB.DEVICE.REPAIR ~ 手机坏了 ~ 合约机保修 ~ 手机售后
MOB.DEVICE.ESIM.WATCH ~ 手表eSIM ~ 手表开号 ~ 手表一号双终端
MOB.DEVICE.ESIM.PHONE ~ 手机eSIM ~ eSIM手机开通 ~ 手机用eSIM
MOB.PROMO.PREPAY ~ 存费送费 ~ 充值送话费 ~ 预存优惠
MOB.PROMO.POINTS ~ 积分兑换 ~ 查积分 ~ 积分换话费
MOB.PROMO.GIFT ~ 赠送流量没到 ~ 送的东西没收到 ~ 活动赠品
BILL.QUERY.MONTHLY ~ 查账单 ~ 这个月话费多少 ~ 月账单明细
BILL.QUERY.DETAIL ~ 打详单 ~ 话费清单 ~ 通话记录明细
BILL.QUERY.BALANCE ~ 查余额 ~ 还有多少话费 ~ 余额查询
BILL.QUERY.ARREARS ~ 欠费多少 ~ 查欠费 ~ 欠了多少钱
BILL.DISPUTE.DATA ~ 流量费不对 ~ 流量扣费有问题 ~ 没用流量也扣钱
BILL.DISPUTE.VAS.SP ~ 不明扣费 ~ 乱七八糟的增值费 ~ 第三方扣费
BILL.DISPUTE.VAS.MEMBER ~ 会员自动扣费 ~ 会员续费扣钱 ~ 自动续费会员
BILL.DISPUTE.CALL ~ 通话费不对 ~ 电话费扣多了 ~ 通话扣费有问题
BILL.DISPUTE.ROAM ~ 漫游费不对 ~ 漫游扣费有问题 ~ 国际漫游费争议
BILL.DISPUTE.DOUBLE ~ 扣了两次 ~ 重复收费 ~ 多扣了一次
BILL.DISPUTE.PLAN ~ 套餐费不对 ~ 月租不对 ~ 套餐价格不符
BILL.PAY.CHANNEL ~ 缴费方式 ~ 在哪交话费 ~ 怎么充话费
BILL.PAY.NOTARRIVED ~ 充值没到 ~ 话费没到账 ~ 缴费不到账
BILL.PAY.AUTOPAY.OPEN ~ 开自动缴费 ~ 银行代扣 ~ 自动扣费开通
BILL.PAY.AUTOPAY.FAIL ~ 代扣失败 ~ 自动扣款失败 ~ 银行没扣款
BILL.PAY.WRONGNUM ~ 充错号了 ~ 话费充错了 ~ 给别人充错了
BILL.REFUND.APPLY ~ 申请退款 ~ 退钱 ~ 要求退费
BILL.REFUND.PROGRESS ~ 退款进度 ~ 退费还没到 ~ 退款到哪了
BILL.REFUND.BALANCE ~ 退余额 ~ 余额退款 ~ 话费余额退回
BILL.INVOICE.EINVOICE ~ 开发票 ~ 电子发票 ~ 下载发票
BILL.INVOICE.VAT ~ 专票 ~ 增值税发票 ~ 开专用发票
BILL.INVOICE.TITLE ~ 改发票抬头 ~ 抬头错了 ~ 发票抬头
BILL.INVOICE.REISSUE ~ 重开发票 ~ 发票作废 ~ 补开发票
BILL.SUSPEND.ARREARS ~ 欠费停机 ~ 停机了 ~ 号码停了
BILL.SUSPEND.RESTORE ~ 复机 ~ 交了钱开机 ~ 缴费后恢复
BILL.SUSPEND.CREDIT ~ 信用额度 ~ 提额度 ~ 透支额度
CARD.NEW.SELECT ~ 选号 ~ 挑个号码 ~ 靓号
CARD.NEW.ONLINE ~ 网上办卡 ~ 线上办号 ~ 网购手机卡
CARD.NEW.ACTIVATE.FAIL ~ 激活失败 ~ 新卡不能用 ~ 卡激活不了
CARD.NEW.ACTIVATE.FACE ~ 刷脸失败 ~ 人脸识别不过 ~ 人脸认证失败
CARD.NEW.LIMIT ~ 名下号码超了 ~ 一证五号 ~ 身份证办卡上限
CARD.SIM.REPLACE.LOST ~ 补卡 ~ 丢卡补办 ~ 补手机卡
CARD.SIM.REPLACE.DAMAGED ~ 卡坏了 ~ 换卡 ~ SIM卡损坏
CARD.SIM.REPLACE.5G ~ 换5G卡 ~ 升级5G卡 ~ 5G卡更换
CARD.SIM.PIN ~ PUK码 ~ PIN码锁了 ~ 卡锁了
CARD.SIM.ESIM ~ 转eSIM ~ eSIM转换 ~ 实体卡换eSIM
CARD.STATUS.LOSS ~ 挂失 ~ 号码挂失 ~ 紧急停机
CARD.STATUS.UNLOCK ~ 解挂 ~ 取消挂失 ~ 解除挂失
CARD.STATUS.KEEP ~ 停机保号 ~ 保号 ~ 号码保留
CARD.STATUS.REACTIVATE ~ 复机 ~ 恢复号码 ~ 号码重新开通
CARD.TRANSFER.APPLY ~ 过户 ~ 号码过户 ~ 转户
CARD.TRANSFER.DECEASED ~ 去世过户 ~ 继承过户 ~ 亲人去世号码过户
CARD.CLOSE.APPLY ~ 销户 ~ 注销号码 ~ 销号
CARD.CLOSE.CONDITION ~ 销户条件 ~ 销不了户 ~ 销户要求
CARD.CLOSE.BALANCE ~ 销户余额 ~ 销户退款 ~ 注销后余额
CARD.MNP.OUT.QUALIFY ~ 携号转网资格 ~ 能不能转网 ~ 转网条件
CARD.MNP.OUT.CODE ~ 携转授权码 ~ 转网授权码 ~ 授权码没收到
CARD.MNP.OUT.BLOCK ~ 转网受限 ~ 不让携号转网 ~ 携出被拒
CARD.MNP.OUT.RETAIN ~ 转网挽留 ~ 不转网有优惠吗 ~ 留下来给什么
CARD.MNP.IN ~ 携号转入 ~ 转网进来 ~ 携入星海
CARD.REALNAME.VERIFY ~ 实名认证 ~ 实名登记 ~ 补实名
CARD.REALNAME.CHECK ~ 名下号码 ~ 一证通查 ~ 查身份证下的号
CARD.REALNAME.FRAUD.CALL ~ 诈骗电话 ~ 冒充客服的电话 ~ 骗子来电
CARD.REALNAME.FRAUD.SMS ~ 诈骗短信 ~ 钓鱼短信 ~ 短信诈骗
CARD.REALNAME.FRAUD.BLOCKED ~ 涉诈停机 ~ 被关停了 ~ 风险号码停机
CARD.REALNAME.PASSWORD.RESET ~ 重置密码 ~ 忘记服务密码 ~ 改服务密码
CARD.REALNAME.PASSWORD.LOCKED ~ 密码锁了 ~ 密码被锁定 ~ 输错密码锁了
ROAM.OPEN.HOW ~ 开漫游 ~ 国际漫游开通 ~ 出国开漫游
ROAM.OPEN.FAIL ~ 漫游开通失败 ~ 漫游开不了 ~ 开不通漫游
ROAM.OPEN.DEPOSIT ~ 漫游预存 ~ 漫游押金 ~ 开漫游要存钱吗
ROAM.OPEN.CLOSE ~ 关漫游 ~ 取消漫游 ~ 关闭国际漫游
ROAM.PKG.DATA.ASIA ~ 日本流量包 ~ 泰国漫游 ~ 亚洲流量包
ROAM.PKG.DATA.EUROPE ~ 欧洲流量包 ~ 法国漫游 ~ 欧洲漫游包
ROAM.PKG.DATA.AMERICA ~ 美国流量包 ~ 美国漫游 ~ 美洲流量包
ROAM.PKG.DATA.GLOBAL ~ 全球流量包 ~ 多国流量包 ~ 全球通用包
ROAM.PKG.DATA.HKMO ~ 香港流量包 ~ 港澳台流量包 ~ 澳门流量
ROAM.PKG.VOICE ~ 漫游语音包 ~ 国际通话包 ~ 出国打电话包
ROAM.PKG.EFFECT ~ 漫游包生效 ~ 漫游包没生效 ~ 流量包激活
ROAM.RATE.DATA ~ 漫游流量资费 ~ 国外上网多少钱 ~ 漫游上网费
ROAM.RATE.CALL ~ 漫游通话费 ~ 国外打电话多少钱 ~ 漫游接电话收费
ROAM.RATE.SMS ~ 漫游短信费 ~ 国外短信多少钱 ~ 境外短信收费
ROAM.RATE.CAP ~ 漫游封顶 ~ 封顶多少钱 ~ 每日封顶
ROAM.FAULT.NOSIGNAL ~ 国外没信号 ~ 出国无服务 ~ 漫游没信号
ROAM.FAULT.NODATA.SWITCH ~ 国外上不了网 ~ 漫游没网 ~ 数据漫游打开
ROAM.FAULT.NODATA.APN ~ 漫游APN ~ 国外APN ~ 境外接入点
ROAM.FAULT.NODATA.OPERATOR ~ 手动选网 ~ 国外选运营商 ~ 漫游网络选择
ROAM.FAULT.CALL ~ 国外打不了电话 ~ 漫游打不出去 ~ 出国电话打不通
ROAM.FAULT.SMS ~ 国外收不到短信 ~ 漫游收不到验证码 ~ 境外收不到短信
ROAM.BILL.HIGH ~ 漫游费太贵 ~ 漫游扣了好多钱 ~ 天价漫游费
ROAM.BILL.DELAY ~ 漫游延迟扣费 ~ 漫游费晚扣 ~ 回国后还扣漫游费
ROAM.INBOUND.VISITOR ~ 外国人办卡 ~ 港澳台办卡 ~ 护照办卡
ROAM.INBOUND.TOURIST ~ 游客卡 ~ 旅游卡 ~ 短期手机卡
CMP.SERVICE.ATTITUDE.HOTLINE ~ 客服态度差 ~ 投诉客服 ~ 接线员态度恶劣
CMP.SERVICE.ATTITUDE.STORE ~ 营业厅态度差 ~ 投诉营业厅 ~ 营业员态度不好
CMP.SERVICE.ATTITUDE.ENGINEER ~ 师傅态度差 ~ 投诉装维 ~ 维修人员态度恶劣
CMP.SERVICE.WAIT ~ 等太久了 ~ 排队太长 ~ 客服打不进
CMP.SERVICE.PROMISE ~ 承诺没兑现 ~ 说好的没做到 ~ 答应的回电没回
CMP.SERVICE.PASSED ~ 推来推去 ~ 踢皮球 ~ 没人管
CMP.BILLING.OVERCHARGE ~ 乱收费 ~ 多收钱 ~ 乱扣钱
CMP.BILLING.UNAUTH ~ 私自开通 ~ 没同意就订购 ~ 强制订购
CMP.BILLING.REFUND ~ 退费不到位 ~ 少退了钱 ~ 退款没退完
CMP.NETWORK.REPEAT ~ 反复断网 ~ 故障反复 ~ 一直修不好
CMP.NETWORK.COVERAGE ~ 覆盖差 ~ 没信号投诉 ~ 信号覆盖投诉
CMP.NETWORK.SPEED ~ 网速不达标投诉 ~ 速率投诉 ~ 网速虚标
CMP.SALES.MISLEAD ~ 虚假宣传 ~ 被忽悠办了业务 ~ 销售骗人
CMP.SALES.HARASS ~ 推销电话 ~ 营销骚扰 ~ 骚扰电话推销
CMP.SALES.CONTRACT ~ 合约纠纷 ~ 合同有问题 ~ 合约争议
CMP.ESCALATE.SUPERVISOR ~ 找领导 ~ 要主管 ~ 经理来处理
CMP.ESCALATE.REGULATOR ~ 工信部投诉 ~ 去管局投诉 ~ 12300投诉
CMP.ESCALATE.MEDIA ~ 媒体曝光 ~ 上网曝光 ~ 找记者
CMP.ESCALATE.REPEAT ~ 重复投诉 ~ 又投诉 ~ 投诉好几次了
CMP.PRIVACY.LEAK ~ 信息泄露 ~ 隐私泄露 ~ 个人资料被泄露
CMP.PRIVACY.SPAM ~ 垃圾短信 ~ 广告短信 ~ 推广短信太多
CMP.SUGGEST.PRODUCT ~ 提建议 ~ 产品建议 ~ 改进建议
CMP.SUGGEST.PRAISE ~ 表扬 ~ 点赞 ~ 感谢你们的员工
VAS.SUB.QUERY ~ 查已订业务 ~ 订了哪些业务 ~ 业务查询
VAS.SUB.CANCEL.ONE ~ 退订业务 ~ 取消一个业务 ~ 退订包月
VAS.SUB.CANCEL.ALL ~ 全部退订 ~ 一键退订所有 ~ 退订全部增值业务
VAS.SUB.BLOCK ~ 屏蔽SP ~ 关闭增值业务订购 ~ 禁止订购
VAS.MEMBER.VIDEO ~ 视频会员 ~ 领视频会员 ~ 视频会员没到
VAS.MEMBER.MUSIC ~ 音乐会员 ~ 领音乐会员 ~ 音乐会员没到
VAS.MEMBER.CLAIM ~ 领权益 ~ 权益领取 ~ 权益没领到
VAS.MEMBER.AUTORENEW ~ 关自动续费 ~ 取消续费 ~ 停止自动续订
VAS.CLOUD.DRIVE ~ 云盘 ~ 云盘扩容 ~ 云盘打不开
VAS.CLOUD.CAMERA.OFFLINE ~ 摄像头离线 ~ 摄像头连不上 ~ 监控离线
VAS.CLOUD.CAMERA.STORAGE ~ 云存储 ~ 摄像头回放 ~ 云录像
VAS.CLOUD.PHONE ~ 云手机 ~ 云手机开通 ~ 云手机卡
VAS.CALL.RINGTONE ~ 彩铃 ~ 换彩铃 ~ 取消彩铃
VAS.CALL.NOTIFY ~ 来电提醒 ~ 漏话提醒 ~ 未接来电提醒
VAS.CALL.BLOCK ~ 拦截骚扰电话 ~ 防骚扰 ~ 屏蔽推销电话
VAS.CALL.VIDEO ~ 视频通话 ~ 视频电话 ~ 视频通话开不了
VAS.APP.LOGIN ~ App登录 ~ 登录不了App ~ App验证码
VAS.APP.ORDER ~ App订单 ~ 订单查询 ~ 订单处理中
VAS.APP.BUG ~ App闪退 ~ App打不开 ~ App出错
ENT.LINE.NEW ~ 开专线 ~ 专线办理 ~ 企业专线
ENT.LINE.FAULT.DOWN ~ 专线断了 ~ 专线中断 ~ 专线不通
ENT.LINE.FAULT.LATENCY ~ 专线延迟 ~ 专线时延高 ~ 专线慢
ENT.LINE.FAULT.LOSS ~ 专线丢包 ~ 丢包严重 ~ 丢包率高
ENT.LINE.SLA ~ SLA赔付 ~ 专线赔偿 ~ 服务等级协议
ENT.GROUP.MEMBER ~ 集团加成员 ~ 集团删成员 ~ 集团成员
ENT.GROUP.BILL ~ 集团账单 ~ 集团话费 ~ 集团缴费
ENT.GROUP.PLAN ~ 集团套餐 ~ 企业套餐 ~ 公司套餐
ENT.GROUP.MANAGER ~ 客户经理 ~ 找客户经理 ~ 客户经理联系方式
ENT.IOT.CARD ~ 物联网卡 ~ 物联卡 ~ 办物联网卡
ENT.IOT.PLATFORM ~ 物联网平台 ~ 连接管理平台 ~ 物联网平台登录
ENT.IOT.OFFLINE ~ 物联网离线 ~ 设备离线 ~ 终端离线
ENT.CLOUD.HOST ~ 云主机 ~ 云服务器 ~ 买云主机
ENT.CLOUD.IDC ~ 机房托管 ~ IDC托管 ~ 服务器托管
ENT.CLOUD.CDN ~ CDN ~ CDN加速 ~ 网站加速
ENT.COMM.TRUNK ~ 中继线 ~ SIP中继 ~ 中继线路
ENT.COMM.400 ~ 400电话 ~ 400号码 ~ 办400
ENT.COMM.SMS.SIGN ~ 短信签名 ~ 签名报备 ~ 签名审核
ENT.COMM.SMS.DELIVERY ~ 短信到达率 ~ 短信发不到 ~ 群发短信失败
ENT.COMM.MEETING ~ 云会议 ~ 视频会议 ~ 会议账号
GEN.STORE.ADDRESS ~ 营业厅在哪 ~ 营业厅地址 ~ 附近营业厅
GEN.STORE.HOURS ~ 营业时间 ~ 营业厅几点关门 ~ 营业厅开门时间
GEN.STORE.APPT ~ 预约营业厅 ~ 营业厅预约 ~ 预约办业务
GEN.ACCOUNT.CONTACT ~ 改联系电话 ~ 联系方式变更 ~ 改邮箱
GEN.ACCOUNT.ADDRESS ~ 改账单地址 ~ 账单寄送地址 ~ 地址变更
GEN.POLICY.TARIFF ~ 资费政策 ~ 涨价了 ~ 资费调整
GEN.POLICY.ELDER ~ 老人套餐 ~ 老年人服务 ~ 老人优惠
GEN.POLICY.ACCESS ~ 无障碍 ~ 残疾人服务 ~ 手语客服
GEN.OTHER.WRONGCALL ~ 打错了 ~ 拨错了 ~ 不好意思打错电话了
GEN.OTHER.SILENT ~ 喂 ~ 有人吗 ~ 喂喂
"""

# Everyday words customers say in more than one way (the conversations use either).
SYNONYMS = [("怎么", "咋"), ("怎么", "如何"), ("想", "想要"), ("想", "打算"), ("能不能", "可不可以"), ("能不能", "能否"),
            ("多少钱", "什么价"), ("一直", "老是"), ("一直", "总是"), ("很", "特别"), ("很", "挺"), ("什么", "啥"),
            ("帮我", "麻烦帮我"), ("帮我", "给我"), ("查一下", "查查"), ("查一下", "看看"), ("没有", "没"),
            ("吗", "么"), ("办理", "办"), ("现在", "目前"), ("是不是", "是否"), ("还", "仍然")]
