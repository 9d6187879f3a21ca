/** Generated users: names, addresses, payment methods (about one third each of credit cards, gift cards, certificates), saved passengers, membership. */
import { pad } from "./generate-flights";
import type { Rng } from "../random/prng";
import type { Passenger, PaymentMethod, User } from "./schema";

const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas", "Mia", "Logan",
  "Amelia", "James", "Harper", "Aiden", "Evelyn", "Elijah", "Abigail", "Daniel", "Emily", "Henry", "Ella",
  "Jackson", "Scarlett", "Samuel", "Grace", "Sebastian", "Chloe", "David", "Lily", "Joseph", "Aria", "Omar",
  "Priya", "Ravi", "Yusuf", "Fatima", "Hana", "Kenji", "Mei", "Wei", "Sofia", "Mateo", "Valentina", "Diego",
  "Camila", "Leon", "Nora", "Ivan", "Zara", "Arjun", "Aisha", "Tomas", "Ingrid", "Kofi", "Amara", "Lena", "Malik", "Rosa",
];
const LAST_NAMES = [
  "Garcia", "Smith", "Johnson", "Nguyen", "Patel", "Kim", "Chen", "Lopez", "Brown", "Davis", "Wilson", "Martinez",
  "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young",
  "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
  "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy",
  "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Gomez", "Kelly", "Howard", "Ward", "Cox",
];
const STREETS = ["Maple Avenue", "Oak Street", "Cedar Lane", "Pine Road", "Elm Street", "Lakeview Drive", "Hillcrest Road", "River Road", "Park Avenue", "Sunset Boulevard", "Willow Way", "Main Street"];
const CITIES: [string, string, string][] = [
  ["Austin", "TX", "787"], ["Denver", "CO", "802"], ["Portland", "OR", "972"], ["Columbus", "OH", "432"],
  ["Phoenix", "AZ", "850"], ["Charlotte", "NC", "282"], ["Seattle", "WA", "981"], ["Boston", "MA", "021"],
  ["Chicago", "IL", "606"], ["Miami", "FL", "331"], ["San Diego", "CA", "921"], ["New York", "NY", "100"],
  ["Atlanta", "GA", "303"], ["Nashville", "TN", "372"], ["Philadelphia", "PA", "191"], ["Houston", "TX", "770"],
];
const CARD_BRANDS = ["visa", "mastercard"];
const CERT_AMOUNTS = [100, 150, 250, 500];

export function personName(rng: Rng): { first_name: string; last_name: string } {
  return { first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES) };
}

export function dob(rng: Rng, fromYear: number, toYear: number): string {
  return `${rng.int(fromYear, toYear)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}

export function buildUsers(rng: Rng, count: number): User[] {
  const ids = new Set<string>();
  const paymentIds = new Set<string>();
  const newPaymentId = (source: string): string => {
    let id: string;
    do id = `${source}_${rng.int(1000000, 9999999)}`;
    while (paymentIds.has(id) || id === "certificate_3221322" || id === "certificate_3221323" || id === "certificate_3221324");
    paymentIds.add(id);
    return id;
  };
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const name = personName(rng);
    let userId: string;
    do userId = `${name.first_name.toLowerCase()}_${name.last_name.toLowerCase()}_${rng.int(1000, 9999)}`;
    while (ids.has(userId));
    ids.add(userId);
    const [city, state, zipPrefix] = rng.pick(CITIES);
    const nMethods = rng.weighted([[1, 80], [2, 142], [3, 111], [4, 90], [5, 41], [6, 28], [7, 8]] as const);
    const methods: Record<string, PaymentMethod> = {};
    for (let m = 0; m < nMethods; m++) {
      // The first method can always pay for a booking (credit or gift card).
      // Later methods lean to certificates so the overall mix stays about one third each (as in τ²).
      const source =
        m === 0
          ? rng.pick(["credit_card", "gift_card"] as const)
          : rng.weighted([["credit_card", 0.265], ["gift_card", 0.265], ["certificate", 0.47]] as const);
      const id = newPaymentId(source);
      if (source === "credit_card") methods[id] = { source, id, brand: rng.pick(CARD_BRANDS), last_four: pad(rng.int(0, 9999), 4) };
      else if (source === "gift_card") methods[id] = { source, id, amount: rng.int(0, 300) };
      else methods[id] = { source, id, amount: rng.pick(CERT_AMOUNTS) };
    }
    const saved: Passenger[] = [];
    const nSaved = rng.chance(0.34) ? 2 : 1;
    for (let s = 0; s < nSaved; s++) saved.push({ ...personName(rng), dob: dob(rng, 1945, 2010) });
    users.push({
      user_id: userId,
      name,
      address: {
        address1: `${rng.int(100, 9999)} ${rng.pick(STREETS)}`,
        address2: rng.chance(0.5) ? `Suite ${rng.int(100, 999)}` : `Apt ${rng.int(1, 99)}`,
        city,
        country: "USA",
        state,
        zip: `${zipPrefix}${pad(rng.int(0, 99))}`,
      },
      email: `${name.first_name.toLowerCase()}.${name.last_name.toLowerCase()}${rng.int(1000, 9999)}@example.com`,
      dob: dob(rng, 1950, 2004),
      payment_methods: methods,
      saved_passengers: saved,
      membership: rng.weighted([["regular", 143], ["silver", 182], ["gold", 175]] as const),
      reservations: [],
    });
  }
  return users;
}
