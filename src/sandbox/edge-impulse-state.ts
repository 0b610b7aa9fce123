/**
 * The Edge Impulse side of the sandbox: projects, their samples, and the jobs that batch
 * requests (clear a key, add a key) start. Tests seed and inspect it; the HTTP handlers in
 * edge-impulse.ts act on it.
 * Everything handed out is a copy, so a test cannot change the state behind the server's back.
 */
import type { components } from '../../generated/edge-impulse/schema.js';

export type Job = components['schemas']['Job'];
/** A sample's category: the filter's categories without `all`. */
export type SampleCategory = Exclude<components['schemas']['RawDataFilterCategory'], 'all'>;
export type SampleDataType = components['parameters']['FiltersDataTypeParameter'];

export interface Sample {
  id: number;
  category: SampleCategory;
  /** Numeric-looking labels ("3", "4.5") are what minLabel/maxLabel compare. */
  label: string;
  filename: string;
  /** Milliseconds. */
  length: number;
  /** Hertz. */
  frequency: number;
  signatureValid: boolean;
  enabled: boolean;
  dataType: SampleDataType;
  added: Date;
  metadata: Record<string, string>;
}

/** A sample to seed: only `id` is required; `added` may be an ISO string. */
export type SampleInput = Pick<Sample, 'id'> & Partial<Omit<Sample, 'id' | 'added'>> & { added?: Date | string };

/**
 * Defaults for seeded samples, so tests can rely on them. The filename defaults to
 * `sample-<id>.wav` for audio and `sample-<id>.jpg` for images; metadata to `{}`.
 */
export const SAMPLE_DEFAULTS = {
  category: 'training',
  label: 'idle',
  length: 1000,
  frequency: 100,
  signatureValid: true,
  enabled: true,
  dataType: 'audio',
  added: '2024-01-01T00:00:00.000Z',
} as const;

/** What a batch request does to the metadata of the samples it selects. */
export type MetadataChange =
  | { kind: 'clear'; metadataKey: string }
  | { kind: 'add'; metadataKey: string; value: string };

interface JobRecord {
  projectId: number;
  job: Job;
  sampleIds: number[];
  change: MetadataChange;
  polls: number;
  failure: string | undefined;
}

/** One clear-metadata-by-key request that reached a project: what its filters matched. */
export interface ClearOperation {
  metadataKey: string;
  /** The samples the filters matched, whether or not they had the key. */
  matchedSampleIds: number[];
  /** Set when the request started a job instead of clearing at once. */
  jobId?: number;
}

/** One add-metadata request that reached a project: what its filters selected, and the value set. */
export interface AddOperation {
  metadataKey: string;
  metadataValue: string;
  /** The samples the filters selected, whether or not the key already had that value. */
  matchedSampleIds: number[];
  /** Set when the request started a job instead of setting the value at once. */
  jobId?: number;
}

interface Project {
  samples: Map<number, Sample>;
  failNextJob: string | undefined;
  clearOperations: ClearOperation[];
  addOperations: AddOperation[];
}

export interface JobSettings {
  /** Status requests after which a job finishes (see SandboxOptions.jobPolls). */
  jobPolls: number;
}

const copySample = (sample: Sample): Sample => structuredClone(sample);

export class EdgeImpulseState {
  readonly #projects = new Map<number, Project>();
  readonly #jobs = new Map<number, JobRecord>();
  #nextJobId = 1;
  #listLimitCap: number | undefined;

  constructor(private readonly settings: JobSettings) {}

  /** Creates an empty project (addSamples creates one too). */
  addProject(projectId: number): void {
    if (!this.#projects.has(projectId)) {
      this.#projects.set(projectId, {
        samples: new Map(),
        failNextJob: undefined,
        clearOperations: [],
        addOperations: [],
      });
    }
  }

  hasProject(projectId: number): boolean {
    return this.#projects.has(projectId);
  }

  projectIds(): number[] {
    return [...this.#projects.keys()];
  }

  /** Adds samples to a project, creating the project if needed; returns them with defaults filled in. */
  addSamples(projectId: number, samples: readonly SampleInput[]): Sample[] {
    this.addProject(projectId);
    const project = this.#project(projectId);
    return samples.map((input) => {
      if (!Number.isInteger(input.id)) throw new Error(`sample id must be an integer, got ${input.id}`);
      if (project.samples.has(input.id)) throw new Error(`project ${projectId} already has a sample ${input.id}`);
      const dataType = input.dataType ?? SAMPLE_DEFAULTS.dataType;
      const sample: Sample = {
        id: input.id,
        category: input.category ?? SAMPLE_DEFAULTS.category,
        label: input.label ?? SAMPLE_DEFAULTS.label,
        filename: input.filename ?? `sample-${input.id}.${dataType === 'image' ? 'jpg' : 'wav'}`,
        length: input.length ?? SAMPLE_DEFAULTS.length,
        frequency: input.frequency ?? SAMPLE_DEFAULTS.frequency,
        signatureValid: input.signatureValid ?? SAMPLE_DEFAULTS.signatureValid,
        enabled: input.enabled ?? SAMPLE_DEFAULTS.enabled,
        dataType,
        added: new Date(input.added ?? SAMPLE_DEFAULTS.added),
        metadata: { ...(input.metadata ?? {}) },
      };
      if (Number.isNaN(sample.added.getTime())) throw new Error(`sample ${input.id}: invalid added date`);
      project.samples.set(sample.id, sample);
      return copySample(sample);
    });
  }

  /** The samples of a project, in insertion order. */
  samples(projectId: number): Sample[] {
    return [...this.#project(projectId).samples.values()].map(copySample);
  }

  sample(projectId: number, sampleId: number): Sample | undefined {
    const sample = this.#project(projectId).samples.get(sampleId);
    return sample && copySample(sample);
  }

  /** The jobs started in a project, as the job status endpoint shows them. */
  jobs(projectId: number): Job[] {
    this.#project(projectId);
    return [...this.#jobs.values()].filter((r) => r.projectId === projectId).map((r) => structuredClone(r.job));
  }

  /**
   * The clear-metadata-by-key requests that reached this project (valid, authenticated), oldest
   * first, with the samples their filters matched: this shows matches that changed nothing, such
   * as samples without any metadata.
   */
  clearOperations(projectId: number): ClearOperation[] {
    return structuredClone(this.#project(projectId).clearOperations);
  }

  /** The add-metadata requests that reached this project, oldest first, with the samples they selected. */
  addOperations(projectId: number): AddOperation[] {
    return structuredClone(this.#project(projectId).addOperations);
  }

  /** Removes a sample (as deleting it in the studio would); false when there was none. */
  removeSample(projectId: number, sampleId: number): boolean {
    return this.#project(projectId).samples.delete(sampleId);
  }

  /** Sets (a string) or removes (undefined) one metadata key of a sample, as an edit in the studio would. */
  setSampleMetadata(projectId: number, sampleId: number, key: string, value: string | undefined): void {
    const sample = this.#project(projectId).samples.get(sampleId);
    if (!sample) throw new Error(`project ${projectId} has no sample ${sampleId}`);
    if (value === undefined) delete sample.metadata[key];
    else sample.metadata[key] = value;
  }

  job(projectId: number, jobId: number): Job | undefined {
    const record = this.#jobs.get(jobId);
    return record?.projectId === projectId ? structuredClone(record.job) : undefined;
  }

  /**
   * Makes the next job started in this project fail: it finishes with `finishedSuccessful: false`,
   * `additionalInfo` set to `error`, and changes no sample. The arming lasts until a job starts.
   */
  failNextJob(projectId: number, error = 'Job failed (armed by failNextJob)'): void {
    this.#project(projectId).failNextJob = error;
  }

  /**
   * Makes listSamples answer at most `limit` samples per page, whatever `limit` asks for (undefined:
   * as asked), as a server that caps its page size would. The project's own test setting: the
   * vendor's document states no cap. Lasts until reset.
   */
  capListLimit(limit: number | undefined): void {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new Error(`cap must be a positive integer, got ${limit}`);
    this.#listLimitCap = limit;
  }

  /** @internal The page size listSamples answers for the `limit` asked. */
  listLimit(asked: number | undefined): number | undefined {
    if (this.#listLimitCap === undefined) return asked;
    return asked === undefined ? this.#listLimitCap : Math.min(asked, this.#listLimitCap);
  }

  reset(): void {
    this.#projects.clear();
    this.#jobs.clear();
    this.#nextJobId = 1;
    this.#listLimitCap = undefined;
  }

  // The operations below are what the HTTP handlers do (marked @internal); tests go through HTTP.

  /** @internal The live samples of a project (not copies), for filtering. */
  liveSamples(projectId: number): readonly Readonly<Sample>[] {
    return [...this.#project(projectId).samples.values()];
  }

  /** @internal */
  recordClearOperation(projectId: number, operation: ClearOperation): void {
    this.#project(projectId).clearOperations.push(structuredClone(operation));
  }

  /** @internal */
  recordAddOperation(projectId: number, operation: AddOperation): void {
    this.#project(projectId).addOperations.push(structuredClone(operation));
  }

  /** @internal Removes `key` from the metadata of the given samples that still exist; returns how many changed. */
  clearMetadataKey(projectId: number, sampleIds: readonly number[], key: string): number {
    return this.applyChange(projectId, sampleIds, { kind: 'clear', metadataKey: key });
  }

  /** @internal Applies a change to the given samples that still exist; returns how many changed. */
  applyChange(projectId: number, sampleIds: readonly number[], change: MetadataChange): number {
    const samples = this.#project(projectId).samples;
    let changed = 0;
    for (const id of sampleIds) {
      const metadata = samples.get(id)?.metadata;
      if (!metadata) continue;
      if (change.kind === 'clear') {
        if (!Object.hasOwn(metadata, change.metadataKey)) continue;
        delete metadata[change.metadataKey];
      } else {
        if (metadata[change.metadataKey] === change.value) continue;
        metadata[change.metadataKey] = change.value;
      }
      changed++;
    }
    return changed;
  }

  /** @internal Starts a job that clears `key` on the given samples when it finishes. */
  startClearJob(projectId: number, sampleIds: readonly number[], metadataKey: string): Job {
    return this.startJob(projectId, sampleIds, { kind: 'clear', metadataKey });
  }

  /** @internal Starts a job that applies the change to the given samples when it finishes. */
  startJob(projectId: number, sampleIds: readonly number[], change: MetadataChange): Job {
    const project = this.#project(projectId);
    const id = this.#nextJobId++;
    const now = new Date().toISOString();
    const clear = change.kind === 'clear';
    const record: JobRecord = {
      projectId,
      job: {
        id,
        category: clear ? 'Clear metadata by key' : 'Add metadata',
        categoryKey: clear ? 'batchClearMetadataByKey' : 'batchAddMetadata',
        key: `${clear ? 'clear' : 'add'}-metadata-${projectId}-${id}`,
        created: now,
        started: now,
        jobNotificationUids: [],
      },
      sampleIds: [...sampleIds],
      change: structuredClone(change),
      polls: 0,
      failure: project.failNextJob,
    };
    project.failNextJob = undefined;
    this.#jobs.set(id, record);
    if (this.settings.jobPolls <= 0) this.#finish(record);
    return structuredClone(record.job);
  }

  /** @internal Counts a status request for the job and finishes it on the jobPolls-th; undefined if unknown. */
  pollJob(projectId: number, jobId: number): Job | undefined {
    const record = this.#jobs.get(jobId);
    if (!record || record.projectId !== projectId) return undefined;
    if (record.job.finished === undefined) {
      record.polls++;
      if (record.polls >= this.settings.jobPolls) this.#finish(record);
    }
    return structuredClone(record.job);
  }

  #finish(record: JobRecord): void {
    record.job.finished = new Date().toISOString();
    if (record.failure !== undefined) {
      record.job.finishedSuccessful = false;
      record.job.additionalInfo = record.failure;
      return;
    }
    if (this.#projects.has(record.projectId)) this.applyChange(record.projectId, record.sampleIds, record.change);
    record.job.finishedSuccessful = true;
  }

  #project(projectId: number): Project {
    const project = this.#projects.get(projectId);
    if (!project)
      throw new Error(`the sandbox has no Edge Impulse project ${projectId}; seed it with addSamples or addProject`);
    return project;
  }
}
