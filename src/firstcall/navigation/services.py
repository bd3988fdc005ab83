"""Flow writes: drafts, publishing (validated), and loading the seeded flows. Each runs in the
caller's transaction (the request's, or the seed command's)."""

from django.db.models import Max
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.versions import publish_version
from firstcall.navigation import seeding
from firstcall.navigation.models import Flow, FlowVersion
from firstcall.navigation.spec import FlowSpec, SpecError, from_bpmn, to_bpmn
from firstcall.navigation.validate import bounds_problems, problems


def read_spec(bpmn: str) -> FlowSpec:
    try:
        return from_bpmn(bpmn)
    except SpecError as exc:
        raise ValidationFailed(errors={"bpmn": [str(exc)]}) from exc


def save_draft(ctx: ChangeContext, flow: Flow, bpmn: str) -> FlowVersion:
    """A new draft version; the document must at least be a flow FirstCall can read."""
    spec = read_spec(bpmn)
    if spec.code != flow.code:
        raise ValidationFailed(errors={"bpmn": [_("The process id must be the flow's code.")]})
    if found := bounds_problems(spec):  # out of bounds: not stored at all
        raise ValidationFailed(_("The draft was not saved."), errors={"bpmn": found})
    last = flow.versions.aggregate(n=Max("number"))["n"] or 0
    version = FlowVersion.objects.create(flow=flow, number=last + 1, bpmn=bpmn)
    ctx.record(version, ObjectChange.Action.CREATE)
    return version


def publish(ctx: ChangeContext, version: FlowVersion) -> FlowVersion:
    """Validate and publish; the version published before is retired. Nothing changes when the
    flow has a problem: every problem is reported at once."""
    found = problems(read_spec(version.bpmn))
    if found:
        raise ValidationFailed(_("The flow cannot be published."), errors={"bpmn": found})
    return publish_version(ctx, version, FlowVersion.objects.filter(flow=version.flow))


def seed_flows(ctx: ChangeContext) -> list[Flow]:
    """Create and publish every seeded flow that does not exist yet. A flow whose published
    version came from an earlier seed (and was not changed by an admin since) gets the new
    seed published as its next version, so an upgrade brings the seeded flows with it."""
    created = []
    for path in seeding.seed_files():
        spec, meta = seeding.load(path)
        flow = Flow.objects.filter(code=spec.code).first()
        if flow is not None:
            current = flow.versions.filter(status=FlowVersion.Status.PUBLISHED).first()
            seeded = current is not None and current.published_by.startswith("cli:seed")
            if seeded and current is not None and current.bpmn != to_bpmn(spec):
                publish(ctx, save_draft(ctx, flow, to_bpmn(spec)))
                Flow.objects.filter(pk=flow.pk).update(**meta)
                created.append(flow)
            continue
        flow = Flow.objects.create(code=spec.code, **meta)
        ctx.record(flow, ObjectChange.Action.CREATE)
        publish(ctx, save_draft(ctx, flow, to_bpmn(spec)))
        created.append(flow)
    return created
