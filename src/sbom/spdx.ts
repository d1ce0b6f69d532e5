import type { OsPackage } from './packages.js';
import { nameUuid, pypiPurl, type SbomInput, type SbomLicense } from './model.js';

/**
 * SPDX 2.3 JSON (spdx-spec v2.3, clauses 6 document creation, 7 packages, 11 relationships). The
 * document DESCRIBES the image; the image CONTAINS the project, the Python runtime, the operating
 * system, every Python distribution and every OS package; the project DEPENDS_ON its distributions.
 * filesAnalyzed is false everywhere (we list packages, not files), so no verification codes are due.
 * Licenses: licenseDeclared is an SPDX expression or NOASSERTION (free-text License fields go to
 * licenseComments); licenseConcluded is NOASSERTION, as nobody concluded anything. Pure.
 */
export function renderSpdx(input: SbomInput): string {
  const ids = new Set<string>();
  const idOf = (kind: string, name: string) => {
    const base = `SPDXRef-${kind}-${name}`.replace(/[^A-Za-z0-9.-]+/g, '-');
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const packages: Record<string, unknown>[] = [];
  const relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[] = [];
  const imageId = idOf('Image', input.image.name);
  const contains = (id: string) => relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });

  packages.push({
    name: input.image.name,
    SPDXID: imageId,
    versionInfo: input.project.version,
    primaryPackagePurpose: 'CONTAINER',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    comment: `OCI image for ${input.image.platform}, config ${input.image.configDigest}, built on ${input.image.baseRef}${input.image.baseDigest ? `@${input.image.baseDigest}` : ''}`,
  });
  const projectId = idOf('Project', input.project.name);
  packages.push({
    name: input.project.name,
    SPDXID: projectId,
    versionInfo: input.project.version,
    primaryPackagePurpose: 'APPLICATION',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    ...licenseFields(input.project.license),
    copyrightText: 'NOASSERTION',
    comment: `the application layer ${input.project.layer}`,
  });
  contains(projectId);
  const pythonId = idOf('Python', input.python.version);
  packages.push({
    name: 'python',
    SPDXID: pythonId,
    versionInfo: input.python.version,
    primaryPackagePurpose: 'APPLICATION',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    comment: `the interpreter ${input.python.interpreter}, from the base image`,
  });
  contains(pythonId);
  if (input.base.os) {
    const osId = idOf('OperatingSystem', input.base.os.id);
    packages.push({
      name: input.base.os.id,
      SPDXID: osId,
      ...(input.base.os.versionId ? { versionInfo: input.base.os.versionId } : {}),
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      ...(input.base.os.prettyName ? { description: input.base.os.prettyName } : {}),
    });
    contains(osId);
  }
  for (const d of input.distributions) {
    const id = idOf('pypi', `${d.name}-${d.version}`);
    packages.push({
      name: d.name,
      SPDXID: id,
      versionInfo: d.version,
      packageFileName: d.filename,
      primaryPackagePurpose: 'LIBRARY',
      downloadLocation: d.url ?? 'NOASSERTION',
      filesAnalyzed: false,
      checksums: [{ algorithm: 'SHA256', checksumValue: d.sha256 }],
      ...licenseFields(d.license),
      copyrightText: 'NOASSERTION',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pypiPurl(d.name, d.version) }],
      comment: `installed from ${d.filename} in layer ${d.layer}`,
    });
    contains(id);
    relationships.push({ spdxElementId: projectId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: id });
  }
  for (const p of input.base.packages) {
    const id = idOf(p.manager, `${p.name}-${p.architecture ?? ''}-${p.version}`);
    packages.push(osPackage(p, id));
    contains(id);
  }
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${input.image.name} (${input.image.platform})`,
    documentNamespace: `https://pycontainer.dev/spdx/${encodeURIComponent(input.project.name)}-${nameUuid(`spdx:${input.image.configDigest}`)}`,
    creationInfo: { created: input.created, creators: [`Tool: ${input.tool.name}-${input.tool.version}`] },
    packages,
    relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId }, ...relationships],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function osPackage(p: OsPackage, id: string): Record<string, unknown> {
  return {
    name: p.name,
    SPDXID: id,
    versionInfo: p.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    ...licenseFields(p.license ? { expression: p.license } : undefined),
    copyrightText: 'NOASSERTION',
    ...(p.source ? { sourceInfo: `built from the ${p.manager === 'deb' ? 'Debian source' : 'apk origin'} package ${p.source}` } : {}),
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
  };
}

/** apk's L: is "MIT AND BSD" style already; anything that is not an expression is kept as a comment. */
function licenseFields(license: SbomLicense | undefined): Record<string, string> {
  const declared = license?.expression && /^[A-Za-z0-9.+:() -]+$/.test(license.expression) ? license.expression : undefined;
  const text = license?.text ?? (license?.expression && !declared ? license.expression : undefined);
  return { licenseConcluded: 'NOASSERTION', licenseDeclared: declared ?? 'NOASSERTION', ...(text ? { licenseComments: `License: ${text}` } : {}) };
}
