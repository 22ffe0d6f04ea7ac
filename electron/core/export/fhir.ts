import { randomUUID } from 'node:crypto';
import type { DocumentType } from '../../../shared/contract/documents';
import { DOCUMENT_TYPE_LABELS } from '../../../shared/contract/documents';
import type { CareTeamMember, Medication } from '../../../shared/contract/export';
import type { PatientProfile } from '../../../shared/contract/vault';

/**
 * FHIR.JSN: a FHIR R4 Bundle (type 'collection') describing the packet for systems that import FHIR: the Patient,
 * one DocumentReference per document (pointing at its original file in the packet, with its hashes), one
 * ImagingStudy per study (with its series and instances), one
 * MedicationStatement per medication, and the care team as Practitioners in a CareTeam. Every reference is an
 * 'urn:uuid:' that resolves to an entry's fullUrl in the same bundle.
 */

/** LOINC document type codes (the LOINC Document Ontology names) for the types the app knows. */
const LOINC: Partial<Record<DocumentType, [string, string]>> = {
  pathology: ['11526-1', 'Pathology study'],
  radiology: ['18748-4', 'Diagnostic imaging study'],
  lab: ['11502-2', 'Laboratory report'],
  genetic: ['51969-4', 'Genetic analysis report'],
  consultation: ['11488-4', 'Consult note'],
  'treatment-plan': ['18776-5', 'Plan of care note'],
  operative: ['11504-8', 'Surgical operation note'],
  discharge: ['18842-5', 'Discharge summary'],
  'medication-list': ['10160-0', 'History of Medication use Narrative'],
};

export interface FhirDocument {
  id: string;
  title: string;
  type: DocumentType;
  serviceDate: string | null;
  facility: string | null;
  clinician: string | null;
  mimeType: string;
  size: number;
  sha256: string;
  sha1Base64: string;
  /** Relative path of the original in the packet. */
  path: string;
  recordsPages: [number, number];
}

export interface FhirStudy {
  uid: string;
  date: string | null;
  time: string | null;
  description: string | null;
  institution: string | null;
  series: {
    uid: string;
    number: number | null;
    modality: string | null;
    description: string | null;
    instances: { uid: string; sopClassUid: string; number: number | null }[];
  }[];
}

export interface FhirInput {
  profile: PatientProfile;
  createdAt: Date;
  documents: FhirDocument[];
  studies: FhirStudy[];
  medications: Medication[];
  careTeam: CareTeamMember[];
}

type Json = Record<string, unknown>;

const urn = () => `urn:uuid:${randomUUID()}`;

function humanName(full: string): Json {
  const parts = full.trim().split(/\s+/);
  const family = parts.length > 1 ? parts.at(-1)! : parts[0]!;
  const given = parts.length > 1 ? parts.slice(0, -1) : [];
  return { text: full, family, ...(given.length > 0 ? { given } : {}) };
}

const DICOM_MODALITY = 'http://dicom.nema.org/resources/ontology/DCM';

/** DICOM dates carry no time zone, and a FHIR dateTime with a time needs one: the study date alone is what is known. */
function studyStarted(date: string | null): string | undefined {
  return date ?? undefined;
}

export function fhirBundle(input: FhirInput): Json {
  const patientUrl = urn();
  const entries: { fullUrl: string; resource: Json }[] = [];
  const patient: Json = {
    resourceType: 'Patient',
    name: [humanName(input.profile.fullName)],
    birthDate: input.profile.birthDate,
  };
  if (input.profile.sex) patient.gender = input.profile.sex;
  if (input.profile.identifiers?.length) {
    patient.identifier = input.profile.identifiers.map((identifier) => ({ type: { text: identifier.label }, value: identifier.value }));
  }
  entries.push({ fullUrl: patientUrl, resource: patient });
  const subject = { reference: patientUrl };

  for (const document of input.documents) {
    const code = LOINC[document.type];
    const resource: Json = {
      resourceType: 'DocumentReference',
      status: 'current',
      type: {
        ...(code ? { coding: [{ system: 'http://loinc.org', code: code[0], display: code[1] }] } : {}),
        text: DOCUMENT_TYPE_LABELS[document.type],
      },
      subject,
      date: input.createdAt.toISOString(),
      description: document.title,
      // RFC 6920 "ni" name: the SHA-256 of the original (Attachment.hash in R4 is SHA-1).
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `ni:///sha-256;${Buffer.from(document.sha256, 'hex').toString('base64url')}` }],
      content: [
        {
          attachment: {
            contentType: document.mimeType,
            url: document.path,
            size: document.size,
            hash: document.sha1Base64,
            title: document.title,
          },
        },
      ],
    };
    if (document.serviceDate) resource.context = { period: { start: document.serviceDate } };
    const authors = [document.clinician, document.facility].filter((x): x is string => Boolean(x));
    if (authors.length > 0) resource.author = authors.map((display) => ({ display }));
    entries.push({ fullUrl: urn(), resource });
  }

  for (const study of input.studies) {
    const modalities = [...new Set(study.series.map((series) => series.modality).filter((m): m is string => Boolean(m)))];
    const resource: Json = {
      resourceType: 'ImagingStudy',
      status: 'available',
      identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${study.uid}` }],
      subject,
      numberOfSeries: study.series.length,
      numberOfInstances: study.series.reduce((sum, series) => sum + series.instances.length, 0),
      series: study.series.map((series) => ({
        uid: series.uid,
        ...(series.number !== null ? { number: series.number } : {}),
        modality: { system: DICOM_MODALITY, code: series.modality ?? 'OT' },
        ...(series.description ? { description: series.description } : {}),
        numberOfInstances: series.instances.length,
        instance: series.instances.map((instance) => ({
          uid: instance.uid,
          sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${instance.sopClassUid}` },
          ...(instance.number !== null ? { number: instance.number } : {}),
        })),
      })),
    };
    if (modalities.length > 0) resource.modality = modalities.map((code) => ({ system: DICOM_MODALITY, code }));
    const started = studyStarted(study.date);
    if (started) resource.started = started;
    if (study.description) resource.description = study.description;
    if (study.institution) resource.note = [{ text: `Performed at ${study.institution}. The images are in DICOM/ of this packet, indexed by DICOMDIR.` }];
    entries.push({ fullUrl: urn(), resource });
  }

  for (const medication of input.medications) {
    const dosage = [medication.dose, medication.route, medication.frequency].filter(Boolean).join(', ');
    const resource: Json = {
      resourceType: 'MedicationStatement',
      status: medication.current ? 'active' : 'completed',
      medicationCodeableConcept: { text: medication.name },
      subject,
      dateAsserted: input.createdAt.toISOString(),
    };
    if (dosage) resource.dosage = [{ text: dosage }];
    if (medication.startDate) resource.effectivePeriod = { start: medication.startDate };
    if (medication.reason) resource.reasonCode = [{ text: medication.reason }];
    const notes = [medication.prescriber ? `Prescribed by ${medication.prescriber}` : '', medication.notes].filter(Boolean);
    if (notes.length > 0) resource.note = notes.map((text) => ({ text }));
    entries.push({ fullUrl: urn(), resource });
  }

  if (input.careTeam.length > 0) {
    const participants: Json[] = [];
    for (const member of input.careTeam) {
      const url = urn();
      const telecom = [
        ...(member.phone ? [{ system: 'phone', value: member.phone }] : []),
        ...(member.email ? [{ system: 'email', value: member.email }] : []),
      ];
      entries.push({
        fullUrl: url,
        resource: {
          resourceType: 'Practitioner',
          name: [humanName(member.name)],
          ...(telecom.length > 0 ? { telecom } : {}),
          ...(member.address ? { address: [{ text: member.address }] } : {}),
        },
      });
      participants.push({
        role: [{ text: member.role }],
        member: { reference: url, display: member.name },
        ...(member.organization ? { onBehalfOf: { display: member.organization } } : {}),
      });
    }
    entries.push({ fullUrl: urn(), resource: { resourceType: 'CareTeam', status: 'active', subject, participant: participants } });
  }

  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: input.createdAt.toISOString(),
    entry: entries,
  };
}
