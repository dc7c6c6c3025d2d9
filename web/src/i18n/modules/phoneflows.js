// Texts of issue 14's phone flows (namespace `phoneFlows`): the check-in screen's address check
// and projector mode, the registration QR code and the volunteer project's live QR.
export default {
  zh: {
    phoneFlows: {
      urlDiffers: '二维码指向 {base}，与本页地址 {origin} 不同：手机可能无法打开。请核对 KEPU_PUBLIC_URL 配置。',
      urlUnreachable: '二维码地址 {base} 无法访问：手机扫码将失败。请核对 KEPU_PUBLIC_URL 配置或网络。',
      urlLoopback: '本页通过 {origin} 打开，二维码也指向此地址，手机无法访问：请用局域网或公网地址打开本页，或配置 KEPU_PUBLIC_URL。',
      projector: '投影模式', exitProjector: '退出投影', checkedIn: '已签到 {n} 人',
      registerQr: '扫码注册', registerQrHint: '志愿者用手机扫描下方二维码即可注册',
      liveQr: '签到二维码', qrOutside: '不在签到时间内：签到开放后这里显示二维码',
      registerLink: '还不是志愿者？注册成为科技志愿者',
      regNeedOrg: '请扫描组织单位提供的注册二维码，或打开其注册链接完成注册。',
    },
  },
  en: {
    phoneFlows: {
      urlDiffers: 'The QR codes point at {base}, not at this page\'s address {origin}: phones may not open them. Check KEPU_PUBLIC_URL.',
      urlUnreachable: 'The QR codes\' address {base} does not answer: scans will fail. Check KEPU_PUBLIC_URL or the network.',
      urlLoopback: 'This page was opened at {origin} and the QR codes point there too, which no phone can reach: open it at a LAN or public address, or set KEPU_PUBLIC_URL.',
      projector: 'Projector mode', exitProjector: 'Exit projector', checkedIn: '{n} checked in',
      registerQr: 'Scan to register', registerQrHint: 'Volunteers scan this code with a phone to register',
      liveQr: 'Check-in QR code', qrOutside: 'Outside the check-in window: the QR code shows here once it opens',
      registerLink: 'Not a volunteer yet? Register as a science volunteer',
      regNeedOrg: 'Scan the registration QR code your organisation hands out, or open its registration link.',
    },
  },
}
