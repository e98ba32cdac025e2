// Measures a person chooses, over the hub (docs/realtime-api.md, "Measures"). A facilitator offers a clinic's measure;
// one member opts in sharing their trend, another keeps it to themselves; answers come back with the member's own
// score and band, a skipped item leaves it unscored, "not this week" is an answer; a safety answer brings the crisis
// resources and tells the facilitators live. Answers and pulses reach nobody but their author, live or on replay; a
// facilitator reads one sharing member's trend at a time and the pulse only as distributions of three or more.
// Bad input is refused on a connection that keeps working; someone outside the circle is refused everything.
// node measures.mjs <baseUrl> <circleId> <sharerName> <keeperName> <otherName>
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_SHARER, BSG_TOKEN_KEEPER, BSG_TOKEN_OTHER, BSG_TOKEN_OUTSIDER
import { args, connectAs, flush, run } from "./lib.mjs";

const [circleId, sharerName, keeperName, otherName] = args;
const id = () => crypto.randomUUID();

// Made up for the test: three items on a 0-3 scale, the second scored the other way round, the third a safety item.
const measure = {
  name: "Week at a glance",
  instructions: "Over the last 7 days, how often has this been so for you?",
  recallDays: 7,
  scale: [
    { value: 0, label: "Not at all" },
    { value: 1, label: "Several days" },
    { value: 2, label: "More than half the days" },
    { value: 3, label: "Nearly every day" },
  ],
  items: [
    { text: "Feeling on edge" },
    { text: "Feeling able to rest", reverse: true },
    { text: "Thoughts that you would be better off not here", safetyThreshold: 2 },
  ],
  bands: [{ from: 0, to: 4, name: "lighter" }, { from: 5, to: 9, name: "heavier" }],
};

run(async () => {
  const facilitator = await connectAs("facilitator");
  const sharer = await connectAs("sharer");
  const keeper = await connectAs("keeper");
  const other = await connectAs("other");
  const listeners = { facilitator, sharer, keeper, other };
  const join = await facilitator.invoke("JoinCircle", circleId, 0);
  for (const c of [sharer, keeper, other]) await c.invoke("JoinCircle", circleId, 0);
  const startSeq = join.lastSeq;
  const idOf = (name) => join.members.find((m) => m.displayName === name).memberId;
  const ids = { facilitator: join.members.find((m) => m.role === "facilitator").memberId,
    sharer: idOf(sharerName), keeper: idOf(keeperName), other: idOf(otherName) };

  const refused = {};
  refused.tooOften = await facilitator.attempt("OfferMeasure", circleId,
    { clientEventId: id(), measure: { ...measure, recallDays: 14 }, everyDays: 7 });
  refused.offerByMember = await other.attempt("OfferMeasure", circleId, { clientEventId: id(), measure, everyDays: 7 });
  const offerBody = { clientEventId: id(), measure, everyDays: 7 };
  const offered = await facilitator.invoke("OfferMeasure", circleId, offerBody);
  const resent = { offer: [offered, await facilitator.invoke("OfferMeasure", circleId, offerBody)] };
  const offeredAtOther = await other.waitForEvent((e) => e.eventId === offered.eventId, "measure-offered at another member");
  const { measureId } = offeredAtOther;

  refused.answerBeforeOptIn = await sharer.attempt("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [0, 0, 0] });
  const optInBody = { clientEventId: id(), measureId, shareWithFacilitators: true };
  const sharerOptIn = await sharer.invoke("OptInMeasure", circleId, optInBody);
  resent.optIn = [sharerOptIn, await sharer.invoke("OptInMeasure", circleId, optInBody)];
  const keeperOptIn = await keeper.invoke("OptInMeasure", circleId, { clientEventId: id(), measureId, shareWithFacilitators: false });

  const answers = {
    full: await sharer.invoke("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [1, 1, 0] }),
    skipped: await sharer.invoke("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [1, null, 0] }),
    notThisWeek: await sharer.invoke("AnswerMeasure", circleId, { clientEventId: id(), measureId, notThisWeek: true }),
    keeper: await keeper.invoke("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [3, 0, 1] }),
  };
  const safetyBody = { clientEventId: id(), measureId, answers: [2, 1, 2] };
  answers.safety = await sharer.invoke("AnswerMeasure", circleId, safetyBody);
  answers.safetyResent = await sharer.invoke("AnswerMeasure", circleId, safetyBody);
  const supportAtFacilitator = await facilitator.waitForEvent((e) => e.eventId === answers.safety.supportRequestEventId,
    "the support request a safety answer raised, at the facilitator");

  // Bad input on a connection of its own, which must still answer afterwards.
  const probe = await connectAs("sharer");
  const malformed = {
    optInNoMeasureId: await probe.attempt("OptInMeasure", circleId, { clientEventId: id(), shareWithFacilitators: true }),
    stopNoMeasureId: await probe.attempt("StopMeasure", circleId, { clientEventId: id() }),
    answerNoMeasureId: await probe.attempt("AnswerMeasure", circleId, { clientEventId: id(), answers: [0, 0, 0] }),
    answerTooFew: await probe.attempt("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [1, 2] }),
    answerOffScale: await probe.attempt("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [1, 7, 0] }),
    answerWrongType: await probe.attempt("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: ["often", 0, 0] }),
    answerBodyString: await probe.attempt("AnswerMeasure", circleId, "1,1,0"),
    unknownMeasure: await probe.attempt("OptInMeasure", circleId, { clientEventId: id(), measureId: id(), shareWithFacilitators: true }),
    memberIdNumber: await probe.attempt("GetMeasures", circleId, 42),
    pulseValue: await probe.attempt("AnswerPulse", circleId, { clientEventId: id(), session: "2030-01-10T18:00", heard: 9 }),
  };
  const probeAfter = await probe.attempt("GetMeasures", circleId, null);
  malformed.countZero = await facilitator.attempt("GetPulseSummaries", circleId, 0);
  malformed.countTooMany = await facilitator.attempt("GetPulseSummaries", circleId, 21);
  malformed.countString = await facilitator.attempt("GetPulseSummaries", circleId, "3");

  const views = {
    sharerOwn: await sharer.invoke("GetMeasures", circleId, null),
    sharerByFacilitator: await facilitator.invoke("GetMeasures", circleId, ids.sharer),
    keeperByFacilitator: await facilitator.invoke("GetMeasures", circleId, ids.keeper),
    keeperOwn: await keeper.invoke("GetMeasures", circleId, null),
    otherOwn: await other.invoke("GetMeasures", circleId, null),
  };
  refused.stopNotOptedIn = await other.attempt("StopMeasure", circleId, { clientEventId: id(), measureId });
  // A safety answer from someone who keeps the measure to themselves still reaches the facilitators, in the answerer's
  // language for the resources they get back (this connection asks for Spanish).
  const keeperInSpanish = await connectAs("keeper", { headers: { "Accept-Language": "es" } });
  answers.keeperSafety = await keeperInSpanish.invoke("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [0, 0, 3] });
  const keeperSupportAtFacilitator = await facilitator.waitForEvent((e) => e.eventId === answers.keeperSafety.supportRequestEventId,
    "the support request of a safety answer to a measure kept private, at the facilitator");
  refused.sharerByKeeper = await keeper.attempt("GetMeasures", circleId, ids.sharer);
  refused.unknownPerson = await facilitator.attempt("GetMeasures", circleId, "nobody-in-this-circle");

  // The pulse: first with no session to reflect on, then for a session that ended ten minutes ago.
  refused.pulseClosed = await sharer.attempt("AnswerPulse", circleId, { clientEventId: id(), session: "2030-01-10T18:00", heard: 4 });
  const startedAt = new Date(Date.now() - 40 * 60000).toISOString().slice(0, 16);
  await facilitator.invoke("SetSessionSchedule", circleId,
    { clientEventId: id(), cadence: "dates", timeZone: "Etc/UTC", dates: [startedAt], durationMinutes: 30 });
  const pulseOpenFor = (await sharer.invoke("GetMeasures", circleId, null)).pulseOpenFor;
  const session = pulseOpenFor?.key ?? startedAt;
  const pulseBody = { clientEventId: id(), session, heard: 4, safe: 5, mattered: 3, word: "calmer" };
  const pulses = {
    sharer: await sharer.invoke("AnswerPulse", circleId, pulseBody),
    sharerAgain: await sharer.invoke("AnswerPulse", circleId, pulseBody),
    keeper: await keeper.invoke("AnswerPulse", circleId, { clientEventId: id(), session, heard: 4, safe: null, mattered: 2 }),
  };
  const summariesOfTwo = await facilitator.invoke("GetPulseSummaries", circleId, 5);
  pulses.other = await other.invoke("AnswerPulse", circleId, { clientEventId: id(), session, heard: 5, safe: 4, mattered: 3 });
  const summariesOfThree = await facilitator.invoke("GetPulseSummaries", circleId, 5);
  refused.summariesByMember = await other.attempt("GetPulseSummaries", circleId, 5);
  const sharerPulses = (await sharer.invoke("GetMeasures", circleId, null)).pulses;

  // Stopping takes the shared trend out of the facilitators' view; a retired measure takes no more answers.
  const stopBody = { clientEventId: id(), measureId };
  const stopped = await sharer.invoke("StopMeasure", circleId, stopBody);
  resent.stop = [stopped, await sharer.invoke("StopMeasure", circleId, stopBody)];
  await facilitator.waitForEvent((e) => e.eventId === stopped.eventId, "measure-stopped at the facilitator");
  views.sharerByFacilitatorAfterStop = await facilitator.invoke("GetMeasures", circleId, ids.sharer);
  const retireBody = { clientEventId: id(), measureId };
  const retired = await facilitator.invoke("RetireMeasure", circleId, retireBody);
  resent.retire = [retired, await facilitator.invoke("RetireMeasure", circleId, retireBody)];
  await other.waitForEvent((e) => e.eventId === retired.eventId, "measure-retired at another member");
  refused.answerAfterRetire = await keeper.attempt("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [0, 0, 0] });
  const keeperStopAfterRetire = await keeper.attempt("StopMeasure", circleId, { clientEventId: id(), measureId });
  views.keeperOwnAfterRetire = await keeper.invoke("GetMeasures", circleId, null);

  // Pushes reach each connection in order: what a listener lacks after the sentinel was never sent to it.
  await flush(facilitator, circleId, listeners, "after the measures");
  const replay = {};
  for (const [name, c] of Object.entries(listeners)) replay[name] = (await c.catchUp(circleId, startSeq)).events;
  const live = Object.fromEntries(Object.entries(listeners).map(([name, c]) => [name, c.received.filter((e) => e.seq > startSeq)]));

  const outsider = await connectAs("outsider");
  const outsiderCalls = {
    OfferMeasure: await outsider.attempt("OfferMeasure", circleId, { clientEventId: id(), measure, everyDays: 7 }),
    RetireMeasure: await outsider.attempt("RetireMeasure", circleId, { clientEventId: id(), measureId }),
    OptInMeasure: await outsider.attempt("OptInMeasure", circleId, { clientEventId: id(), measureId, shareWithFacilitators: true }),
    StopMeasure: await outsider.attempt("StopMeasure", circleId, { clientEventId: id(), measureId }),
    AnswerMeasure: await outsider.attempt("AnswerMeasure", circleId, { clientEventId: id(), measureId, answers: [0, 0, 0] }),
    AnswerPulse: await outsider.attempt("AnswerPulse", circleId, { clientEventId: id(), session, heard: 3 }),
    GetMeasures: await outsider.attempt("GetMeasures", circleId, null),
    GetMeasuresOfMember: await outsider.attempt("GetMeasures", circleId, ids.sharer),
    GetPulseSummaries: await outsider.attempt("GetPulseSummaries", circleId, 5),
  };

  return {
    startSeq, ids, measureId, offered, offeredAtOther, sharerOptIn, keeperOptIn, answers, supportAtFacilitator, keeperSupportAtFacilitator,
    refused, malformed, probeAfter, views, startedAt, pulseOpenFor, pulses, summariesOfTwo, summariesOfThree, sharerPulses,
    stopped, retired, keeperStopAfterRetire, live, replay, outsiderCalls, resent,
  };
});
