"""Injected conditions: the registry, their default rates, and how customers get them.

Which condition produces which branch of the front-line flows in flows.yaml: every branch of
every query, decide and action step (ask and guide steps branch on what the caller says, so any
customer produces them). "healthy" means a customer without conditions produces the branch;
"(caller's answer)" marks a decide step that turns on the caller's words. Forcing one of the
named conditions on a customer (PUT /_admin/customers/{number}/conditions) makes the branch
come out of the systems; add repair_rejected to make the repair action fail.
GET /_admin/conditions gives the same per condition, with what the caller typically says.

F-BB-691
    S2: 欠费停机或包年到期未续 — arrears_stop, bb_expired
    S2: 用户申请停机或已拆机 — bb_user_stop, bb_removed
    S2: 新装未竣工 — bb_install_pending
    S2: 在用 — healthy
    S3: AAA无此账号 — aaa_account_missing
    S3: AAA状态与CRM不一致 — aaa_state_mismatch
    S3: 一致 — healthy
    S4: 密码错 — bb_wrong_password
    S4: 绑定校验错 — aaa_binding_stale, res_port_mismatch
    S4: 超出限制的用户数 — bb_own_router_session, aaa_stale_session, aaa_session_hijack
    S4: 状态错 — aaa_account_locked
    S4: 无认证接入校验属性 — aaa_attr_invalid
    S4: OCS_Err — bb_ocs_balance_low, bb_ocs_error
    S4: 认证成功但客户仍报691 — bras_alarm, bras_authz_error
    S4: 无任何认证请求 — aaa_no_auth_requests
    S5: 客户核对后可正常拨号 — bb_wrong_password
    S5: 客户忘记密码或仍失败 — bb_wrong_password
    S6: 资源与实际一致但AAA绑定陈旧 — aaa_binding_stale
    S6: 资源与实际不一致 — res_port_mismatch
    S7: 客户自己的路由器/光猫已拨号 — bb_own_router_session
    S7: 残留会话 — aaa_stale_session
    S7: 疑似盗用 — aaa_session_hijack
    S8: 余额不足或账本到期 — bb_ocs_balance_low
    S8: 余额充足 — bb_ocs_error
    S9: 有告警或聚集 — bras_alarm
    S9: 无告警且有认证成功记录 — bras_authz_error
    S9: 无告警且无任何认证请求 — aaa_no_auth_requests
    A-RESYNC: 同步成功 — aaa_account_missing
    A-RESYNC: 同步失败 — repair_rejected

F-BB-678
    S1: 欠费停机 — arrears_stop
    S1: 在用 — healthy
    S2: 有相关告警 — access_alarm
    S2: 无告警 — healthy
    S4: 外线或端口异常 — adsl_line_fault
    S4: 线路合格 — adsl_splitter_fault
    S5: 有认证请求 — bb_wrong_password
    S5: 无请求 — aaa_no_auth_requests

F-BB-651
    S1: 欠费停机 — arrears_stop
    S1: 光猫为路由模式而客户在电脑上拨号 — ont_route_mode
    S1: 其他 — healthy
    S2: 有告警或同PON多户离线 — access_alarm
    S2: 无 — healthy
    S4: 离线原因为掉电 — onu_power_off
    S4: 无光或光功率过低 — weak_optical_power
    S4: 光功率正常 — onu_loid_mismatch
    S5: LOID/SN不匹配或配置缺失 — onu_loid_mismatch
    S5: 已注册但业务VLAN异常 — onu_vlan_error
    S5: 正常 — healthy
    S4L: 端口down或错包多 — lan_port_fault
    S4L: 端口up — healthy
    S6: 有认证请求 — bb_wrong_password
    S6: 无请求 — aaa_no_auth_requests
    A-REPROV: ONU上线 — onu_loid_mismatch
    A-REPROV: 仍未上线 — repair_rejected

F-BB-ERRCODE
    S1: 623/635/645/720/735/769/711/814（本机配置类） — (caller's answer)
    S1: 619/718/734（会话/协商类） — (caller's answer)
    S1: 721 — (caller's answer)
    S2: 有残留会话 — aaa_stale_session
    S2: 有认证失败记录 — bb_wrong_password
    S2: 无任何记录 — aaa_no_auth_requests
    S3: 有告警 — bras_alarm
    S3: 无告警 — aaa_no_auth_requests

F-BB-SLOW
    S3: 低于签约且新模板已在AAA — bb_speedup_session_old
    S3: 低于签约且AAA仍为旧模板 — aaa_rate_profile_stale
    S3: 一致 — healthy
    S4: 线路指标异常 — line_quality_poor
    S4: 正常 — healthy
    S5: 有拥塞或告警 — uplink_congestion
    S5: 无 — healthy
    S7: 仅单个网站 — (caller's answer)
    S7: 一类网站（如某运营商网内/某游戏）普遍慢且多用户反映 — (caller's answer)

F-BB-DROP
    S1: 多为Lost-Carrier/Port-Error（物理层） — line_quality_poor, cpe_unstable
    S1: 多为Idle-Timeout/Session-Timeout — bb_idle_timeouts
    S1: 多为User-Request — bb_user_request_drops
    S1: Admin-Reset/NAS-Request集中在同一时刻 — bras_alarm, nas_reset_no_alarm
    S2: 线路/光功率不稳 — line_quality_poor
    S2: 稳定 — cpe_unstable
    S4: 有 — bras_alarm
    S4: 无 — nas_reset_no_alarm

F-BB-WEB
    S1: 欠费提醒或到期提醒 — bb_expiry_reminder
    S1: 正常 — healthy
    S3: 有 — dns_alarm
    S3: 无 — healthy
    S4: 单用户 — (caller's answer)
    S4: 多用户同一应用 — (caller's answer)

F-MOB-NOCALL
    S2: 欠费单停或双停 — arrears_stop, arrears_double_stop
    S2: 涉诈或实名待核验关停 — antifraud_shutdown, realname_pending_shutdown
    S2: 挂失或停机保号 — mob_reported_lost, mob_user_stop
    S2: 正常在用 — healthy
    S3: 确实欠费 — arrears_stop, arrears_double_stop
    S3: 已缴费仍停机 — paid_still_stopped
    S4: HLR数据与CRM不一致 — hlr_barring_mismatch, hlr_ocsi_missing
    S4: 用户自设呼出限制(补充业务BAOC激活) — ss_baoc_active
    S4: 一致且正常 — healthy
    S6: 有基站告警 — cell_alarm
    S6: 覆盖弱或无覆盖 — weak_coverage
    S6: 正常 — healthy
    S8: 对方原因或拨号方式错误 — (caller's answer)
    S8: 无国际长途权限 — healthy
    S8: 多用户同方向失败 — trunk_route_alarm
    A-RESUME: 成功 — paid_still_stopped
    A-RESUME: 失败 — repair_rejected
    A-HLR-SYNC: 成功 — hlr_barring_mismatch
    A-HLR-SYNC: 失败 — repair_rejected

F-MOB-NOSMS
    S2: 双停或关停 — arrears_double_stop, antifraud_shutdown
    S2: 正常或单停 — arrears_stop
    S3: 缺TS21或多余闭锁 — hlr_incoming_barred, hlr_ts21_missing
    S3: MCEF=TRUE — sms_mcef_set
    S3: MNRF=TRUE — sms_mnrf_set
    S3: 正常 — healthy
    S4: 已递交成功 — healthy
    S4: memoryCapacityExceeded — sms_fail_memory
    S4: absentSubscriberSM — sms_fail_absent
    S4: callBarred — sms_fail_barred
    S4: unknownSubscriber或路由错误 — sms_fail_unknown_subscriber
    S4: 无下发记录 — sms_no_records, smsc_alarm
    S5: 运营商侧被屏蔽或拦截 — sms_blocked
    S5: 已成功递交 — healthy
    S5: 无下发记录 — sms_no_records
    S6: 发送方为他网用户或企业 — sms_no_records
    S6: 多用户同时反映 — smsc_alarm

F-MOB-VAS
    S2: 无订购关系却扣费 — vas_charged_without_subscription
    S2: 已退订仍扣费 — vas_charged_after_unsubscribe
    S2: 有订购但无二次确认或证据不全 — vas_no_second_confirmation
    S2: 证据完整 — healthy

F-MOB-IROAM
    S2: 未开通国际漫游 — iroam_not_opened
    S2: 停机或余额不足 — arrears_stop
    S2: 已开通 — hlr_roaming_mismatch
    S3: HLR仍限制漫游 — hlr_roaming_mismatch
    S3: 已登记但仅数据不可用 — iroam_data_capped, iroam_registered_data_fail
    S3: 未在境外登记 — iroam_not_registered
    S4: 封顶或余额不足 — iroam_data_capped
    S4: 正常 — iroam_registered_data_fail

F-MOB-POINTS
    S1: 兑换订单失败 — points_fail_insufficient
    S1: 兑换成功但权益未到账（话费/流量） — points_benefit_pending, points_benefit_overdue
    S1: 实物已发货但未收到或超时 — points_shipping_in_transit, points_shipping_overdue
    S1: 礼品质量或与描述不符 — points_gift_delivered
    S1: 兑换商品或数量与客户要求不符 — points_gift_delivered
    S2: 积分不足或已过期清零 — points_fail_insufficient
    S2: 用户状态不符（欠费/停机） — points_fail_arrears, points_fail_status_stale
    S2: 库存不足或商品下架 — points_fail_stock_refunded, points_fail_stock_not_refunded
    S2: 系统错误或原因不明 — points_fail_system
    S3: 欠费停机 — points_fail_arrears
    S3: 状态正常 — points_fail_status_stale
    S4: 在承诺时限内 — points_benefit_pending
    S4: 超时未到账 — points_benefit_overdue
    S5: 在途未超时 — points_shipping_in_transit
    S5: 超时或物流异常 — points_shipping_overdue
    S6: 已退回 — points_fail_stock_refunded
    S6: 未退回 — points_fail_stock_not_refunded
    A-RESEND: 成功 — points_benefit_overdue
    A-RESEND: 失败 — repair_rejected

F-MOB-ORDER
    S1: 未找到订单 — order_not_found
    S1: 订单失败或作废 — order_failed_rule, order_failed_channel
    S1: 在途 — bb_install_pending, order_pending_effective, order_stuck
    S1: 已竣工 — hlr_roaming_mismatch, order_overcharged
    S2: 未到生效时间 — order_pending_effective
    S2: 指令失败或超时 — order_stuck
    S2: 需装维施工（新装/移机） — bb_install_pending
    S3: 网元已生效 — order_overcharged
    S3: 网元未生效 — hlr_roaming_mismatch
    S4: 规则限制 — order_failed_rule
    S4: 渠道操作差错 — order_failed_channel
    S5: 多收费 — order_overcharged
    S5: 无差异 — healthy
    A-RESEND: 成功 — order_stuck
    A-RESEND: 失败 — repair_rejected

F-MOB-DATA
    S2: 停机 — arrears_stop
    S2: 上网功能被关闭（如客户申请关闭） — mob_data_disabled
    S2: 正常 — healthy
    S3: 流量用尽且设封顶或断网 — data_cap_reached
    S3: 达量限速 — pcrf_throttled
    S3: 正常 — pcrf_policy_mismatch
    S4: 签约缺失或闭锁 — hlr_data_barred, pcrf_policy_mismatch
    S4: 正常 — healthy
    S5: 有告警 — cell_alarm
    S5: 弱覆盖 — weak_coverage
    S5: 正常 — healthy

F-IPTV-NOPIC
    S2: 网络阶段 — (caller's answer)
    S2: 硬件阶段 — (caller's answer)
    S2: 认证阶段 — (caller's answer)
    S2: 98% — (caller's answer)
    S3: 宽带也不通 — access_alarm, weak_optical_power
    S3: 机顶盒接错口 — iptv_stb_wrong_port
    S3: IPTV VLAN配置异常 — iptv_vlan_missing
    S3: 正常 — healthy
    S4: 欠费停机 — arrears_stop
    S4: 绑定机顶盒不一致 — iptv_stb_mismatch
    S4: 账号状态异常或平台无账号 — iptv_account_missing, iptv_state_mismatch
    S4: 认证正常 — iptv_platform_alarm
    S5: 有告警 — iptv_platform_alarm
    S5: 无 — healthy
    S6: 单用户 — iptv_multicast_missing
    S6: 多用户 — iptv_platform_alarm
    A-REPROV: 成功 — iptv_vlan_missing
    A-REPROV: 失败 — repair_rejected
"""

from firstcall.sandbox.conditions.coverage import CALLER_BRANCHES, HEALTHY_BRANCHES
from firstcall.sandbox.conditions.registry import (
    BY_NAME,
    CONDITIONS,
    DEFAULT_REPAIR_REJECT_SHARE,
    HEALTHY,
    ORDER,
    REPAIR_REJECTED,
    Assignment,
    applicable,
    ordered,
)

__all__ = [
    "BY_NAME",
    "CALLER_BRANCHES",
    "CONDITIONS",
    "DEFAULT_REPAIR_REJECT_SHARE",
    "HEALTHY",
    "HEALTHY_BRANCHES",
    "ORDER",
    "REPAIR_REJECTED",
    "Assignment",
    "applicable",
    "ordered",
]
