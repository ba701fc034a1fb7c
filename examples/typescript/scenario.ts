// Calls the AdultWork booking API with `fetch`, typed by `openapi-typescript` from openapi.yaml.
// Usage (see the README): generate api.d.ts, `tsc -p .`, then `node dist/scenario.js BASE_URL`.
import type { components, paths } from "./api";

type Schemas = components["schemas"];
type CreateBody =
  paths["/v1/Webcam/CreateBooking"]["post"]["requestBody"]["content"]["application/json"];
type CreateOk =
  paths["/v1/Webcam/CreateBooking"]["post"]["responses"]["200"]["content"]["application/json"];
type Booking = Schemas["WebcamBooking"];
type PhoneBody = Schemas["CreatePhoneChatBookingRequest"];
type ApiError = Schemas["Error"];

const base = (process.argv[2] ?? "http://127.0.0.1:8080").replace(/\/$/, "");
const headers = {
  Authorization: "bearer sandbox-client-token",
  Accept: "application/json",
  "Content-Type": "application/json",
};

/** A request date-time (`YYYY-MM-DD HH:MM`, UTC like the sandbox clock) `ms` from now. */
function minutesFromNow(ms: number): string {
  return new Date(Date.now() + ms).toISOString().slice(0, 16).replace("T", " ");
}

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

async function post<T>(path: keyof paths, body: unknown): Promise<[number, T]> {
  const res = await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) });
  return [res.status, (await res.json()) as T];
}

async function main(): Promise<void> {
  const day = 24 * 3600 * 1000;
  const create: CreateBody = {
    BookUserIDs: "123456,123457,123458",
    SessionDate: minutesFromNow(2 * day),
    AlsoPhoneChat: true,
    PhoneNumber: "0123456789",
    Duration: 10,
    Credits: 10,
    SoftwareTypeID: 3,
    SignInNameOrEmail: "BookingUserOnSkype",
  };
  const [status, results] = await post<CreateOk>("/v1/Webcam/CreateBooking", create);
  check(status === 200, `create answers 200 (got ${status})`);
  check(results.map((r) => r.Status).join() === "0,1,2", "three documented outcomes");
  check(results[2].BookingID === null, "no booking for the user not on Skype");

  const id = results[0].BookingID as number;
  const res = await fetch(`${base}/v1/Webcam/MadeBookingDetails?BookingID=${id}`, { headers });
  const booking = (await res.json()) as Booking;
  check(booking.Status === "Pending" && booking.IsMulitple, "details: Pending, IsMulitple (sic)");
  check(booking.AcceptedDate === null, "AcceptedDate is null until accepted");

  const phone: PhoneBody = {
    BookUserID: 123456,
    SessionDate: minutesFromNow(day),
    AcceptBy: minutesFromNow(day / 2),
    Duration: 4,
    Method: 2,
    Credits: 32,
  };
  const [badStatus, err] = await post<ApiError>("/v1/PhoneChat/CreateBooking", phone);
  check(badStatus === 400 && err.Message.includes("Duration"), `Duration < 5 is a 400: ${err.Message}`);
  console.log("typescript scenario passed");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
