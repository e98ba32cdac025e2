// A member's network drops (a proxy between them and the app destroys the socket) while the others keep writing in
// every audience. The member's client reconnects by itself and catches up as docs/realtime-api.md says: JoinCircle
// with the last seq it saw, again while hasMore. More writes race the reconnect, so the test can check that replay
// and live pushes together leave no gap.
// node forced-disconnect.mjs <baseUrl> <circleId> <bulk>   (bulk: extra circle check-ins missed, for paging)
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER, BSG_TOKEN_OTHER
import { args, connectAs, entries, flush, run, sleep, startProxy, waitFor, writerAs } from "./lib.mjs";

const [circleId, bulkText] = args;
const bulk = Number(bulkText ?? 0);

run(async () => {
  const proxy = await startProxy();
  const facilitator = await connectAs("facilitator");
  const facilitatorJoin = await facilitator.invoke("JoinCircle", circleId, 0);
  const w = { facilitator: writerAs("facilitator"), other: writerAs("other") };

  const member = await connectAs("member", { server: proxy.url, reconnectEveryMs: 100 });
  const firstJoin = await member.invoke("JoinCircle", circleId, 0);
  const connectionBefore = member.connectionId;
  // The client's cursor: the highest seq it has seen, from replays and live pushes alike.
  const cursor = () => Math.max(0, ...firstJoin.events.map((e) => e.seq), ...member.received.map((e) => e.seq));

  let catchUp = null;
  member.connection.onreconnected(() => { catchUp = member.catchUp(circleId, cursor()).catch((error) => ({ error: String(error) })); });

  const writes = [];
  const write = async (phase, label, who, method, body) => {
    const ack = await (who === "member" ? member : w[who]).invoke(method, circleId, body);
    writes.push({ phase, label, by: who, ...ack });
    return ack;
  };

  // Before the drop: the member's own facilitators-only check-in, which the facilitator answers while they are away.
  const mine = await write("before", "member check-in for facilitators", "member", "CheckIn", entries.checkIn({ visibility: "facilitators" }));
  const { memberId } = await member.waitForEvent((e) => e.eventId === mine.eventId, "the member's own check-in");
  const last = await write("before", "other check-in for the circle", "other", "CheckIn", entries.checkIn());
  await member.waitForEvent((e) => e.eventId === last.eventId, "the last event before the drop");
  await facilitator.waitForEvent((e) => e.eventId === last.eventId, "the last event before the drop");
  const presenceHeard = facilitator.presence.length; // everything pushed before the drop has arrived

  proxy.cut();
  const cutAt = cursor();
  await waitFor(() => member.state === "Reconnecting", "the member's client to notice the drop");
  const leftPresence = await waitFor(
    () => facilitator.presence.slice(presenceHeard).find((p) => !p.memberIds.includes(memberId)), "the member to drop out of presence");

  await write("missed", "check-in circle", "other", "CheckIn", entries.checkIn({ note: "while you were away" }));
  await write("missed", "check-in private", "other", "CheckIn", entries.checkIn({ visibility: "private" }));
  await write("missed", "win facilitators", "other", "ShareWin", entries.shareWin({ visibility: "facilitators" }));
  await write("missed", "win circle", "other", "ShareWin", entries.shareWin());
  await write("missed", "check-in facilitators", "facilitator", "CheckIn", entries.checkIn({ visibility: "facilitators" }));
  await write("missed", "acknowledged the member (facilitators, subject)", "facilitator", "Acknowledge", entries.acknowledge(mine.eventId));
  const round = await write("missed", "round started", "facilitator", "StartRound", entries.startRound());
  const { roundId } = await facilitator.waitForEvent((e) => e.eventId === round.eventId, "the round");
  await write("missed", "round answered", "other", "RespondToRound", entries.respondToRound(roundId));
  await write("missed", "round ended", "facilitator", "EndRound", entries.endRound(roundId));
  await write("missed", "support requested", "other", "RequestSupport", entries.requestSupport());
  for (let i = 0; i < bulk; i++) {
    const who = i % 2 === 0 ? "other" : "facilitator";
    await write("missed", "bulk check-in circle", who, "CheckIn", entries.checkIn({ note: `bulk ${i}` }));
    if (i % 10 === 0) await write("missed", "bulk check-in private", who, "CheckIn", entries.checkIn({ visibility: "private" }));
  }

  // The network comes back; these writes race the client's reconnect and its JoinCircle.
  proxy.restore();
  for (let i = 0; i < 6; i++) {
    await write("racing", "check-in circle", i % 2 ? "facilitator" : "other", "CheckIn", entries.checkIn({ note: `racing ${i}` }));
    await sleep(40);
  }
  await waitFor(() => catchUp, "the member's client to reconnect");
  const caughtUp = await catchUp;
  if (caughtUp.error) throw new Error(caughtUp.error);
  const sentinel = await flush(w.facilitator, circleId, { member, facilitator });
  const backPresence = await waitFor(
    () => facilitator.presence.slice(facilitator.presence.indexOf(leftPresence)).find((p) => p.memberIds.includes(memberId)),
    "the member back in presence");

  const brief = (e) => ({ seq: e.seq, eventId: e.eventId, type: e.type, visibility: e.visibility });
  return {
    facilitatorLastSeq: facilitatorJoin.lastSeq,
    cutAt,
    reconnectedWithNewConnection: member.connectionId !== connectionBefore,
    memberLeftPresence: !leftPresence.memberIds.includes(memberId),
    memberBackInPresence: backPresence.memberIds.includes(memberId),
    writes,
    sentinel,
    pages: caughtUp.pages.map((p) => ({ afterSeq: p.afterSeq, lastSeq: p.lastSeq, hasMore: p.hasMore, count: p.count })),
    replayed: caughtUp.events.map(brief),
    liveAfterCut: member.received.filter((e) => e.seq > cutAt).map(brief),
  };
});
