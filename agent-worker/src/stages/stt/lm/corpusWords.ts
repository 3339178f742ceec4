/**
 * Word lists and stock phrases for the generated caller corpus: common names, street names and kinds, and the
 * conversational turns of an order call. Kept apart from the templates so that the lists can grow freely.
 */
import { COMMON_STREET_NAMES, spokenWords } from '@voiceroom/agent-core/nlu';

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Common first names across the caller population (pronounceable by CMUdict or espeak-ng). */
export const FIRST_NAMES: readonly string[] = spokenWords(`
john mary james patricia robert jennifer michael linda david elizabeth william barbara richard susan
joseph jessica thomas sarah charles karen daniel lisa matthew nancy anthony sandra mark emily paul
anna peter laura kevin amy brian emma alice bob tom jane sam alex maria jose luis chen ali sophia
olivia isabella mia ava noah liam ethan lucas carlos juan ana carmen rosa wei li priya raj fatima
omar ahmed yuki kenji ivan olga piotr katarina george helen frank grace henry rachel steven nicole
andrew julia
`);

/** Common surnames. */
export const LAST_NAMES: readonly string[] = spokenWords(`
smith johnson williams brown jones garcia miller davis rodriguez martinez wilson anderson taylor
thomas moore jackson martin lee thompson white harris clark lewis walker hall young king wright
green baker lopez gonzalez hernandez perez sanchez nguyen kim patel singh chen wang kowalski nowak
mueller schmidt rossi russo cohen murphy o'brien kelly scott adams nelson carter mitchell roberts
`);

/** Street names, including ordinals. */
export const STREET_NAMES: readonly string[] = spokenWords(`
main oak elm maple pine cedar park lake hill washington lincoln church market river spring sunset
highland forest first second third fourth fifth sixth seventh eighth ninth tenth broadway madison
jefferson franklin center union mill north south east west high walnut chestnut willow birch cherry
`);

/** Street types as spoken. */
export const STREET_KINDS: readonly string[] = spokenWords(`
street avenue road lane drive boulevard court way place
`);

/** The words of the streets callers give: the names (the common US ones too) and the kinds. */
export const STREET_WORDS: readonly string[] = [
  ...new Set([...STREET_NAMES, ...COMMON_STREET_NAMES, ...STREET_KINDS]),
];

/** Confirmations, corrections, greetings and questions that are not about a specific item. */
export const CONVERSATION: readonly string[] = lines(`
yes
yes please
yeah
yep
yup
no
nope
no thanks
no thank you
correct
that's correct
that's right
right
sounds good
perfect
okay
ok
sure
please
thank you
thanks
that's all
that's it
nothing else
that's everything
i confirm
confirm
confirmed
yes that is correct
no that is wrong
that's not right
wait
hold on
sorry
what
can you repeat that
say that again
hello
hi
hi there
good evening
goodbye
bye
for delivery
for pickup
delivery please
i'll pick it up
how much is it
how much is that
what's the total
what do you have
what's on the menu
what kind of pizzas do you have
i want to order a pizza
i'd like to place an order
i want to order
can i order
go ahead
that's all thank you
yes that is all
no that will be all
that will be all
is that all
i changed my mind
actually
make it two
make it three
one more
another one
`);
