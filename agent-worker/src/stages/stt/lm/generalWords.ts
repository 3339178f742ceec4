/**
 * A small general conversational vocabulary, most frequent first, mixed into the domain language model with a low
 * weight so that out-of-domain words ("sorry, my dog is barking") still have a path. Rank r gets weight 1/r (Zipf).
 */
const WORDS = `the i you to a and it is that of what in this be have for not on with do we can are my me just
so but yes no know like get was your all if at okay about there they want here think well go he how or one
from an would right will now out up she them had then see his her could who when their time good did more some
yeah say been why come back way our really us take thank thanks please need where make call order by any which
also only because tell much going very something let two sure too much many maybe still should would over home
work day today tomorrow night morning evening week name number phone address street city house door again
sorry hello hi bye goodbye fine great nice love help use try ask find give look put keep leave last long little
big small new old first next other same than into after before off down around through another each every
those these its i'm don't can't won't that's what's you're were has does done doing said made got went came gone
people person family friend kids children car money card cash pay price cost free extra cheese sauce hot cold
water food lunch dinner eat drink minute minutes hour hours ready pick pickup delivery deliver wait later soon
never always nothing everything anything someone somebody thing things place open closed close near far left
turn hear sound problem question answer mean understand remember forget start stop change wrong same better
best bad happy busy late early half quarter dollar dollars cents total change credit visa check receipt`;

export const GENERAL_WORDS: ReadonlyMap<string, number> = new Map(
  [...new Set(WORDS.split(/\s+/).filter((w) => w.length > 0))].map((w, i) => [w, 1 / (i + 1)]),
);
