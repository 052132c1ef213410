/** Fixed inputs of the featuriser golden test (featurize.golden.json holds their outputs). */
export const GOLDEN_TEXTS: readonly string[] = [
  'are we still on for lunch tomorrow?',
  'FR33 C@SH PR1ZE!!! call 0800 123 4567',
  'f r e e  m o n e y',
  'Сlаim yоur frее рrizе',
  'WINNER!! As a valued network customer you have been selected to receive a £900 prize reward! To claim call 09061701461. Claim code KL341. Valid 12 hours only.',
  'Visit http://bit.ly/xyz now or mail win@prizes.example.com',
  'Héllo   wörld — ｆｕｌｌｗｉｄｔｈ and 𝐛𝐨𝐥𝐝 text',
  '',
];
