// A member with two connections open leaves one circle (POST /api/circles/{id}/leave) while staying in another.
// The others keep receiving; the leaver's open connections get the circle's "member-left" and then nothing more
// from it, even an answer addressed to them, and stay usable for their other circle.
// node leave.mjs <baseUrl> <leftCircleId> <otherCircleId>
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_STAYING, BSG_TOKEN_LEAVER (the leaver alone is in the other circle)
import { args, baseUrl, connectAs, entries, run, tokenOf } from "./lib.mjs";

const [circleId, otherCircleId] = args;

run(async () => {
  const facilitator = await connectAs("facilitator");
  const staying = await connectAs("staying");
  const leaverInBoth = await connectAs("leaver");
  const leaverInOne = await connectAs("leaver");
  for (const c of [facilitator, staying, leaverInBoth, leaverInOne]) await c.invoke("JoinCircle", circleId, 0);
  await leaverInBoth.invoke("JoinCircle", otherCircleId, 0);

  // Something of the leaver's that others answer after they left: the answer names them as its subject.
  const before = await leaverInBoth.invoke("CheckIn", circleId, entries.checkIn({ note: "before leaving" }));
  for (const c of [facilitator, staying, leaverInOne]) await c.waitForEvent((e) => e.eventId === before.eventId, "the leaver's check-in");

  const response = await fetch(`${baseUrl}/api/circles/${circleId}/leave`, {
    method: "POST", headers: { Authorization: `Bearer ${tokenOf("leaver")}` },
  });
  const left = {};
  for (const [name, c] of Object.entries({ facilitator, staying, leaverInBoth, leaverInOne })) {
    left[name] = await c.waitForEvent((e) => e.type === "member-left", `member-left at ${name}`);
  }

  const after = [
    await staying.invoke("Acknowledge", circleId, entries.acknowledge(before.eventId)),
    await facilitator.invoke("CheckIn", circleId, entries.checkIn({ note: "after they left" })),
    await staying.invoke("CheckIn", circleId, entries.checkIn({ note: "still here" })),
  ];
  for (const [name, c] of Object.entries({ facilitator, staying })) {
    for (const ack of after) await c.waitForEvent((e) => e.eventId === ack.eventId, `a write after leaving at ${name}`);
  }

  // The leaver's connections are still open: one joins the other circle now, and a write there reaches both.
  // The server pushes to each connection in order, so whatever of the left circle they have not got by then, they
  // never will.
  const rejoin = await leaverInOne.attempt("JoinCircle", circleId, 0);
  const otherJoin = await leaverInOne.attempt("JoinCircle", otherCircleId, 0);
  const otherWrite = await leaverInOne.invoke("CheckIn", otherCircleId, entries.checkIn({ note: "in my other circle" }));
  for (const c of [leaverInBoth, leaverInOne]) await c.waitForEvent((e) => e.eventId === otherWrite.eventId, "the write in the other circle");

  const receivedIn = (c, id) => c.received.filter((e) => e.circleId === id).map((e) => ({ seq: e.seq, type: e.type, visibility: e.visibility, note: e.note ?? null }));
  return {
    leaveStatus: response.status,
    memberLeftSeq: left.facilitator.seq,
    after,
    rejoin: { ok: rejoin.ok, error: rejoin.error ?? null },
    otherJoinOk: otherJoin.ok,
    otherWrite,
    states: { leaverInBoth: leaverInBoth.state, leaverInOne: leaverInOne.state },
    received: {
      facilitator: receivedIn(facilitator, circleId),
      staying: receivedIn(staying, circleId),
      leaverInBoth: receivedIn(leaverInBoth, circleId),
      leaverInOne: receivedIn(leaverInOne, circleId),
    },
    otherReceived: { leaverInBoth: receivedIn(leaverInBoth, otherCircleId), leaverInOne: receivedIn(leaverInOne, otherCircleId) },
  };
});
