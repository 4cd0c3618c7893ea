/**
 * Every pattern that input is tested against, in one place so a test can check
 * them all: each is a single flat repetition (no quantifier inside another),
 * so it runs in time linear in its input whatever that input is. Structure a
 * flat pattern cannot express (dots in an email, parentheses in a phone
 * number) is checked by splitting the value first.
 */
export const PATTERNS = {
  username: /^[A-Za-z0-9_-]+$/,
  // RFC 5321 dot-atom characters; dots are checked separately.
  emailLocal: /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/,
  emailBadDots: /^\.|\.\.|\.$/,
  domainLabel: /^[A-Za-z0-9-]{1,63}$/,
  topLevelDomain: /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/,
  phoneGroup: /\([0-9]{1,15}\)/g,
  phoneStart: /^\+?[0-9]/,
  phoneChars: /^\+?[0-9][0-9 .-]*$/,
  phoneBadSeparators: /[ .-][ .-]|[ .-]$/,
  date: /^(\d{4})-(\d{2})-(\d{2})$/,
  // C0 controls and DEL; bio alone may carry tab and newlines.
  control: /[\u0000-\u001f\u007f]/,
  controlExceptWhitespace: /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/,
} as const;
