// Bad input to every method, as buggy or out-of-date clients send it: wrong circle ids and seqs, bodies that are not
// objects, fields of the wrong type, missing fields, unknown values, texts over their limits, unknown methods and
// wrong argument counts. Each batch runs on one connection, which must still answer afterwards. Then the same
// methods at exactly their limits, and every capacity, which must be accepted.
// node malformed.mjs <baseUrl> <circleId>   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER
import { args, connectAs, entries, run } from "./lib.mjs";

const [circleId] = args;
const x = (n) => "x".repeat(n);

run(async () => {
  const f = await connectAs("facilitator");
  const m = await connectAs("member");
  await f.invoke("JoinCircle", circleId, 0);
  await m.invoke("JoinCircle", circleId, 0);
  const setup = {
    round: await f.invoke("StartRound", circleId, entries.startRound()),
    commitment: await m.invoke("MakeCommitment", circleId, entries.makeCommitment()),
    checkIn: await m.invoke("CheckIn", circleId, entries.checkIn()),
  };
  const roundId = (await m.waitForEvent((e) => e.eventId === setup.round.eventId, "the round")).roundId;
  const commitmentId = (await m.waitForEvent((e) => e.eventId === setup.commitment.eventId, "the commitment")).commitmentId;
  const eventId = setup.checkIn.eventId;
  const { lastSeq: before } = await m.invoke("JoinCircle", circleId, 0);

  const memberCases = [
    ["circleIdNumber", "CheckIn", 42, entries.checkIn()],
    ["circleIdNotAGuid", "ShareWin", "not-a-guid", entries.shareWin()],
    ["circleIdNull", "JoinCircle", null, 0],
    ["circleIdObject", "Reflect", { circleId }, entries.reflect()],
    ["afterSeqString", "JoinCircle", circleId, "5"],
    ["afterSeqNegative", "JoinCircle", circleId, -1],
    ["afterSeqFraction", "JoinCircle", circleId, 1.5],
    ["afterSeqNull", "JoinCircle", circleId, null],
    ["bodyString", "CheckIn", circleId, "low"],
    ["bodyArray", "ShareWin", circleId, [entries.shareWin()]],
    ["bodyNull", "RequestSupport", circleId, null],
    ["bodyNumber", "StartRound", circleId, 1],
    ["capacityNumber", "CheckIn", circleId, entries.checkIn({ capacity: 3 })],
    ["feelingsString", "CheckIn", circleId, entries.checkIn({ feelings: "tired" })],
    ["feelingNumber", "CheckIn", circleId, entries.checkIn({ feelings: [1] })],
    ["textNumber", "ShareWin", circleId, entries.shareWin({ text: 42 })],
    ["visibilityBoolean", "BringToSession", circleId, entries.bringToSession({ visibility: true })],
    ["eventIdNotAGuid", "Acknowledge", circleId, entries.acknowledge("abc")],
    ["commitmentIdNumber", "JoinCommitment", circleId, entries.joinCommitment(7)],
    ["passString", "RespondToRound", circleId, entries.respondToRound(roundId, { pass: "yes" })],
    ["noteObject", "LogPractice", circleId, entries.logPractice(commitmentId, { note: {} })],
    ["clientEventIdNumber", "Reflect", circleId, entries.reflect({ clientEventId: 5 })],
    ["emptyCheckIn", "CheckIn", circleId, {}],
    ["emptyWin", "ShareWin", circleId, {}],
    ["blankWin", "ShareWin", circleId, entries.shareWin({ text: "   " })],
    ["emptyBringToSession", "BringToSession", circleId, {}],
    ["emptyCommitment", "MakeCommitment", circleId, {}],
    ["emptyAcknowledge", "Acknowledge", circleId, {}],
    ["emptyJoinCommitment", "JoinCommitment", circleId, {}],
    ["emptyLogPractice", "LogPractice", circleId, {}],
    ["emptyReflect", "Reflect", circleId, {}],
    ["emptyAnswer", "RespondToRound", circleId, { roundId }],
    ["capacityUnknown", "CheckIn", circleId, entries.checkIn({ capacity: "exhausted" })],
    ["capacityWrongCase", "CheckIn", circleId, entries.checkIn({ capacity: "Low" })],
    ["visibilityUnknown", "ShareWin", circleId, entries.shareWin({ visibility: "everyone" })],
    ["kindUnknown", "Acknowledge", circleId, entries.acknowledge(eventId, { kind: "hug" })],
    ["outcomeUnknown", "LogPractice", circleId, entries.logPractice(commitmentId, { outcome: "failed" })],
    ["roundCapacityUnknown", "RespondToRound", circleId, entries.respondToRound(roundId, { capacity: "full" })],
    ["noteTooLong", "CheckIn", circleId, entries.checkIn({ note: x(1001) })],
    ["feelingTooLong", "CheckIn", circleId, entries.checkIn({ feelings: [x(31)] })],
    ["tooManyFeelings", "CheckIn", circleId, entries.checkIn({ feelings: ["a", "b", "c", "d", "e", "f"] })],
    ["winTooLong", "ShareWin", circleId, entries.shareWin({ text: x(1001) })],
    ["bringTooLong", "BringToSession", circleId, entries.bringToSession({ text: x(1001) })],
    ["reflectionTooLong", "Reflect", circleId, entries.reflect({ important: x(1001), stillWithMe: x(1001), toNotice: x(1001) })],
    ["commitmentTooLong", "MakeCommitment", circleId, entries.makeCommitment({ practice: x(1001), cue: x(1001), size: x(1001) })],
    ["practiceNoteTooLong", "LogPractice", circleId, entries.logPractice(commitmentId, { note: x(1001) })],
    ["answerTooLong", "RespondToRound", circleId, entries.respondToRound(roundId, { text: x(1001) })],
    ["supportNoteTooLong", "RequestSupport", circleId, entries.requestSupport({ note: x(1001) })],
    ["emptySupportNote", "AddSupportNote", circleId, {}],
    ["emptyWithdrawSupport", "WithdrawSupport", circleId, {}],
    ["clientEventIdTooLong", "CheckIn", circleId, entries.checkIn({ clientEventId: x(65) })],
    // Text that would turn around or hide on someone else's screen: a bidi override, an isolate, NUL, escape.
    ["winReversed", "ShareWin", circleId, entries.shareWin({ text: "I did it \u202Eti did I" })],
    ["noteIsolate", "CheckIn", circleId, entries.checkIn({ note: "calm \u2067today" })],
    ["answerNul", "RespondToRound", circleId, entries.respondToRound(roundId, { text: "yes\u0000" })],
    ["feelingEscape", "CheckIn", circleId, entries.checkIn({ feelings: ["\u001B[31mred"] })],
    ["largeButUnder32KB", "CheckIn", circleId, entries.checkIn({ note: x(30000) })],
    ["unknownMethod", "Hug", circleId, {}],
    ["tooFewArguments", "CheckIn", circleId],
    ["tooManyArguments", "ShareWin", circleId, entries.shareWin(), "extra"],
  ];
  const facilitatorCases = [
    ["emptyStartRound", "StartRound", circleId, {}],
    ["promptTooLong", "StartRound", circleId, entries.startRound({ prompt: x(281) })],
    ["emptyEndRound", "EndRound", circleId, {}],
    ["roundIdNotAGuid", "EndRound", circleId, entries.endRound("round-1")],
  ];

  // Batches stay under the per-connection rate limit; each connection must still answer after its bad input.
  const usable = [];
  const rejected = {};
  const tryAll = async (name, cases) => {
    for (let i = 0; i < cases.length; i += 12) {
      const c = await connectAs(name);
      for (const [label, method, ...params] of cases.slice(i, i + 12)) rejected[label] = await c.attempt(method, ...params);
      const probe = await c.attempt("JoinCircle", circleId, 0);
      usable.push(probe.ok && probe.value.lastSeq === before && c.closes.length === 0);
      await c.stop();
    }
  };
  await tryAll("member", memberCases);
  await tryAll("facilitator", facilitatorCases);
  const { lastSeq: afterRejected } = await m.invoke("JoinCircle", circleId, 0);

  // At the limits, everything is accepted and stored in full; surrounding spaces are trimmed.
  const accepted = {};
  const c = await connectAs("member");
  accepted.checkInAtLimits = await c.attempt("CheckIn", circleId, entries.checkIn({
    clientEventId: x(64), note: x(1000), feelings: ["a".repeat(30), "b", "c", "d", "e"],
  }));
  accepted.winAtLimit = await c.attempt("ShareWin", circleId, entries.shareWin({ text: `  ${x(1000)}  ` }));
  accepted.bringAtLimit = await c.attempt("BringToSession", circleId, entries.bringToSession({ text: x(1000) }));
  accepted.reflectionAtLimits = await c.attempt("Reflect", circleId, entries.reflect({ important: x(1000), stillWithMe: x(1000), toNotice: x(1000) }));
  accepted.commitmentAtLimits = await c.attempt("MakeCommitment", circleId, entries.makeCommitment({ practice: x(1000), cue: x(1000), size: x(1000) }));
  accepted.practiceNoteAtLimit = await c.attempt("LogPractice", circleId, entries.logPractice(commitmentId, { note: x(1000) }));
  accepted.answerAtLimit = await c.attempt("RespondToRound", circleId, entries.respondToRound(roundId, { text: x(1000) }));
  accepted.supportNoteAtLimit = await c.attempt("RequestSupport", circleId, entries.requestSupport({ note: x(1000) }));
  accepted.reflectionWithNothingButVisibility = await c.attempt("Reflect", circleId, { visibility: "private" });
  accepted.supportWithNothing = await c.attempt("RequestSupport", circleId, {});
  accepted.newerClientsExtraField = await c.attempt("ShareWin", circleId, entries.shareWin({ mood: "sunny" }));
  await c.stop();
  const c2 = await connectAs("member");
  for (const capacity of ["resting", "low", "some", "steady", "open"]) {
    accepted[`capacity ${capacity}`] = await c2.attempt("CheckIn", circleId, entries.checkIn({ capacity }));
  }
  accepted.endRoundAfterBadInput = await f.attempt("EndRound", circleId, entries.endRound(roundId));
  accepted.promptAtLimit = await f.attempt("StartRound", circleId, entries.startRound({ prompt: x(280) }));

  return { setup, before, afterRejected, usable, rejected, accepted };
});
