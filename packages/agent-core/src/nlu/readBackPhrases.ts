/** How an agent's read-back says each part of the order it confirms. */

/** "... and a coke for Maria Lopez, delivered to ...": the name a read-back is for. */
export const READ_BACK_NAME = /\bfor ([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})(?=[,.]| delivered)/;

/** "delivering to 17 Oak Street.", "delivered to 1110 Hickory.": the address a read-back or an agent's answer says. */
export const READ_BACK_ADDRESS = /\bdeliver(?:ing|ed) to ([^.]+)\./i;

/** "The driver can reach you on five one two, five five five, zero one two three.": the phone number read back. */
export const READ_BACK_PHONE = /\breach you on ([^.]+)\./i;

/** How agents announce a read-back of the whole order. */
export const READ_BACK =
  /\b(total|read(ing)? (that|it|your order) back|to confirm|so that'?s|you ordered|your order is)\b/i;
