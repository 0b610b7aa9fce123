/**
 * A sandbox sample as listSamples answers it: the vendor's `Sample` schema, every required field
 * filled from the sample's state. Fields the sandbox does not model get fixed, plausible values
 * (no bounding boxes, not cropped, not processing; one `audio` sensor for audio samples).
 */
import { createHash } from 'node:crypto';
import type { components } from '../../generated/edge-impulse/schema.js';
import type { Sample } from './edge-impulse-state.js';

type WireSample = components['schemas']['Sample'];

/** `sample` must not be of the `validation` category, which the vendor's Sample schema does not list. */
export function sampleAnswer(projectId: number, sample: Readonly<Sample>, excludeSensors: boolean): WireSample {
  const added = sample.added.toISOString();
  const image = sample.dataType === 'image';
  return {
    id: sample.id,
    filename: sample.filename,
    signatureValidate: sample.signatureValid,
    created: added,
    lastModified: added,
    category: sample.category as WireSample['category'],
    coldstorageFilename: `sandbox/${projectId}/${sample.id}`,
    label: sample.label,
    intervalMs: 1000 / sample.frequency,
    frequency: sample.frequency,
    originalIntervalMs: 1000 / sample.frequency,
    originalFrequency: sample.frequency,
    deviceType: 'sandbox',
    sensors: excludeSensors || image ? [] : [{ name: 'audio', units: 'wav' }],
    valuesCount: Math.round((sample.length * sample.frequency) / 1000),
    totalLengthMs: sample.length,
    added,
    boundingBoxes: [],
    boundingBoxesType: 'object_detection',
    chartType: image ? 'image' : 'chart',
    isDisabled: !sample.enabled,
    isProcessing: false,
    processingError: false,
    isCropped: false,
    metadata: { ...sample.metadata },
    projectId,
    sha256Hash: createHash('sha256').update(`${projectId}/${sample.id}/${sample.filename}`).digest('hex'),
  };
}
