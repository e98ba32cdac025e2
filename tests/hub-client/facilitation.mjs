// Facilitation over the hub: the same rules as the dashboard. A member is refused every facilitation method; the
// circle's own crisis resources come back with a support request; a new co-facilitator's open connection starts
// hearing facilitators-only entries at once; a removed member hears that they were removed, then nothing more, and
// every method refuses them; an archived circle refuses writes.
// node facilitation.mjs <baseUrl> <circleId> <memberName> <otherName>
//   tokens: BSG_TOKEN_FACILITATOR, BSG_TOKEN_MEMBER, BSG_TOKEN_OTHER
import { args, connectAs, entries, flush, run } from "./lib.mjs";

const [circleId, memberName, otherName] = args;
const id = () => crypto.randomUUID();

run(async () => {
  const facilitator = await connectAs("facilitator");
  const member = await connectAs("member");
  const other = await connectAs("other");
  const join = await facilitator.invoke("JoinCircle", circleId, 0);
  await member.invoke("JoinCircle", circleId, 0);
  await other.invoke("JoinCircle", circleId, 0);
  const idOf = (name) => join.members.find((m) => m.displayName === name).memberId;
  const [memberId, otherId] = [idOf(memberName), idOf(otherName)];

  const calls = {
    RenameCircle: { clientEventId: id(), name: "Renamed by a member" },
    ArchiveCircle: { clientEventId: id() },
    NewInviteCode: { clientEventId: id() },
    RemoveMember: { clientEventId: id(), memberId: otherId },
    AddCoFacilitator: { clientEventId: id(), memberId: otherId },
    SetRoundPrompts: { clientEventId: id(), prompts: ["Mine?"] },
    SetCrisisResources: { clientEventId: id(), resources: [] },
    SetSeatingOrder: { clientEventId: id(), memberIds: [] },
    SetSessionSchedule: { clientEventId: id(), cadence: "weekly", timeZone: "Europe/Berlin", weekday: "Thursday", time: "19:00" },
    ChangeSession: { clientEventId: id(), change: "add", to: "2030-01-10T19:00" },
    MarkDiscussed: { clientEventId: id(), eventId: id() },
    AcknowledgeAlert: { clientEventId: id(), eventId: id() },
    ReopenCircle: { clientEventId: id() },
  };
  const refusedForMember = {};
  for (const [method, body] of Object.entries(calls)) refusedForMember[method] = await member.attempt(method, circleId, body);

  const resourcesSet = await facilitator.invoke("SetCrisisResources", circleId, {
    clientEventId: id(), resources: [{ name: "Circle night line", phone: "0800 222 333", text: "Any hour.", url: null }],
  });
  const support = await member.invoke("RequestSupport", circleId, entries.requestSupport({ note: "Tonight is hard." }));

  const rename = { clientEventId: id(), name: "Thursday evening circle" };
  const renamed = [await facilitator.invoke("RenameCircle", circleId, rename), await facilitator.invoke("RenameCircle", circleId, rename)];
  const renamedAtOther = await other.waitForEvent((e) => e.type === "circle-renamed", "the rename at the other member");

  const newCode = await facilitator.invoke("NewInviteCode", circleId, { clientEventId: id() });

  const schedule = { clientEventId: id(), cadence: "weekly", timeZone: "Europe/Berlin", weekday: "Thursday", time: "19:00", durationMinutes: 90 };
  const scheduled = [await facilitator.invoke("SetSessionSchedule", circleId, schedule), await facilitator.invoke("SetSessionSchedule", circleId, schedule)];
  const scheduleAtMember = await member.waitForEvent((e) => e.type === "session-schedule-set", "the schedule at a member");
  const badSchedule = await facilitator.attempt("SetSessionSchedule", circleId,
    { clientEventId: id(), cadence: "weekly", timeZone: "Mars/Olympus", weekday: "Thursday", time: "19:00" });
  const added = await facilitator.invoke("ChangeSession", circleId, { clientEventId: id(), change: "add", to: "2030-01-10T18:00" });
  const addedAtMember = await member.waitForEvent((e) => e.eventId === added.eventId, "the added session at a member");

  const promoted = await facilitator.invoke("AddCoFacilitator", circleId, { clientEventId: id(), memberId });
  await member.waitForEvent((e) => e.eventId === promoted.eventId, "facilitator-added at the new co-facilitator");
  const forFacilitators = await other.invoke("CheckIn", circleId, entries.checkIn({ visibility: "facilitators", note: "for the facilitators" }));
  const atPromoted = await member.waitForEvent((e) => e.eventId === forFacilitators.eventId, "a facilitators-only entry at the new co-facilitator");

  const item = await member.invoke("BringToSession", circleId, entries.bringToSession({ text: "Resting without guilt" }));
  const discussed = await facilitator.invoke("MarkDiscussed", circleId, { clientEventId: id(), eventId: item.eventId });
  const alertAck = await facilitator.invoke("AcknowledgeAlert", circleId, { clientEventId: id(), eventId: support.eventId });
  const ackAtRequester = await member.waitForEvent((e) => e.eventId === alertAck.eventId, "the acknowledgement at the person who asked");

  const removal = await facilitator.invoke("RemoveMember", circleId, { clientEventId: id(), memberId: otherId });
  const removedEvent = await other.waitForEvent((e) => e.eventId === removal.eventId, "member-removed at the removed member");
  await flush(facilitator, circleId, { facilitator, member }, "after the removal");
  const removedReceivedAfter = other.received.filter((e) => e.seq > removedEvent.seq).length;
  const removedJoin = await other.attempt("JoinCircle", circleId, 0);
  const removedCheckIn = await other.attempt("CheckIn", circleId, entries.checkIn());

  const archived = await facilitator.invoke("ArchiveCircle", circleId, { clientEventId: id() });
  await member.waitForEvent((e) => e.eventId === archived.eventId, "circle-archived at the member");
  const archivedCheckIn = await member.attempt("CheckIn", circleId, entries.checkIn());
  const archivedRename = await facilitator.attempt("RenameCircle", circleId, { clientEventId: id(), name: "Too late" });
  // The member is a co-facilitator by now: any facilitator may reopen.
  const reopened = await member.invoke("ReopenCircle", circleId, { clientEventId: id() });
  const reopenedAtFacilitator = await facilitator.waitForEvent((e) => e.eventId === reopened.eventId, "circle-reopened at the other facilitator");
  const reopenAgain = await facilitator.attempt("ReopenCircle", circleId, { clientEventId: id() });
  const reopenedCheckIn = await member.attempt("CheckIn", circleId, entries.checkIn());

  return {
    refusedForMember,
    resourcesSet,
    supportResources: support.resources,
    renamed,
    renamedAtOther,
    newCode,
    scheduled,
    scheduleAtMember,
    badSchedule,
    addedAtMember,
    codeChangedAtMember: member.received.some((e) => e.type === "invite-code-changed"),
    codeChangedAtFacilitator: facilitator.received.find((e) => e.type === "invite-code-changed") ?? null,
    atPromoted,
    discussed,
    ackAtRequester,
    ackAtRemovedMember: other.received.some((e) => e.eventId === alertAck.eventId),
    removedEvent,
    removedReceivedAfter,
    removedJoin,
    removedCheckIn,
    archivedCheckIn,
    archivedRename,
    reopenedAtFacilitator,
    reopenAgain,
    reopenedCheckIn,
  };
});
